import { useState } from 'react'

/** The add/edit dialog of a list screen: closed, open empty (add), or open on a record (edit). */
export function useRecordForm<R>() {
  const [form, setForm] = useState<{ open: boolean; record: R | null }>({ open: false, record: null })
  return {
    form,
    openNew: () => setForm({ open: true, record: null }),
    openEdit: (record: R) => setForm({ open: true, record }),
    closeForm: () => setForm({ open: false, record: null })
  }
}
