export function App() {
  return <main>TokenDesk</main>
}
