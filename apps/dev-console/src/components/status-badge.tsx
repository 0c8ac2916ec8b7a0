/** A batch or task status as a coloured pill (`RUNNING`, `SUCCESS`, …). */
export function StatusBadge({ name }: { name: string }) {
  return <span class={`badge badge-${name.toLowerCase()}`}>{name}</span>;
}
