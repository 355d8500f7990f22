/**
 * For long-running commands (`rift proxy`, `rift sandbox up`): wait for the first SIGINT or SIGTERM to shut
 * down cleanly; a second one leaves at once with exit 130.
 */
export function catchSignals(): {dispose(): void; first: Promise<NodeJS.Signals>} {
  let count = 0
  let resolveFirst: (signal: NodeJS.Signals) => void = () => {}
  const first = new Promise<NodeJS.Signals>((resolve) => (resolveFirst = resolve))
  const onSignal = (signal: NodeJS.Signals): void => {
    count += 1
    if (count === 1) return resolveFirst(signal)
    process.stderr.write(`${signal} again: leaving without waiting for connections to close\n`)
    process.exit(130)
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  return {
    dispose: () => {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    },
    first,
  }
}
