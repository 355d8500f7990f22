/** Where the proxy server reports what it does on its own (lease expiry) and what goes wrong. */
export type ProxyLogLevel = 'info' | 'warn' | 'error'

export type ProxyLogger = (level: ProxyLogLevel, message: string, fields?: Record<string, unknown>) => void

export const silentLogger: ProxyLogger = () => {}
