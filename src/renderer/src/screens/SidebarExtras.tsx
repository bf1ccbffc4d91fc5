/** Token counts per state under the navigation; filled once the tokens channels exist. */
export function SidebarExtras() {
  return null
}
