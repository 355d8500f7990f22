/**
 * Options for both sockets of every connection. Half-open is allowed so that a FIN from one side does not
 * close the other before that direction's chain has drained (the link closes it). Nagle is off, as Go's
 * net package does by default. A 1 MiB high-water mark (Node's default is 16 KiB, less than one 64 KiB
 * read) lets a link keep reading while the destination drains instead of pausing after every chunk,
 * which measured ~15–20 % more bulk throughput; the memory is only used while a destination is slower
 * than its source.
 */
export const SOCKET_OPTIONS = {allowHalfOpen: true, noDelay: true, highWaterMark: 1 << 20} as const
