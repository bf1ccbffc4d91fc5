import { useEffect, useState } from 'react'

/** The open state of a list screen's add/edit dialog. */
export interface RecordFormState<R> {
  open: boolean
  record: R | null
}

/** The add/edit dialog of a list screen: closed, open empty (add), or open on a record (edit). */
export function useRecordForm<R>() {
  const [form, setForm] = useState<RecordFormState<R>>({ open: false, record: null })
  return {
    form,
    openNew: () => setForm({ open: true, record: null }),
    openEdit: (record: R) => setForm({ open: true, record }),
    closeForm: () => setForm({ open: false, record: null })
  }
}

/** A list screen's records, loaded when the screen opens, and the selected one (null when none is). */
export function useSelectedRecord<R extends { id: string }>(list: {
  items: R[]
  selectedId: string | null
  load: () => Promise<unknown>
}) {
  const { load } = list
  useEffect(() => {
    void load()
  }, [load])
  return list.items.find((r) => r.id === list.selectedId) ?? null
}
