/** The header row of a plain (not sortable) table: one column header per name (or label and class). */
export function TableHead({ columns }: { columns: (string | { label: string; className?: string })[] }) {
  return (
    <thead>
      <tr>
        {columns.map((c) => {
          const { label, className } = typeof c === 'string' ? { label: c, className: undefined } : c
          return (
            <th key={label} scope="col" className={className}>
              {label}
            </th>
          )
        })}
      </tr>
    </thead>
  )
}
