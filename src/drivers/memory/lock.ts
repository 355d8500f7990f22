/**
 * A lock file shared between processes: created with O_EXCL (`wx`), so exactly one creator wins, and removed by
 * its owner. A lock left by a process that died (`kill -9` mid-write) must not wedge every later run, so a lock
 * is broken when it is older than `staleMs` or when its owner, on this host, no longer exists.
 *
 * Known limit: breaking a stale lock reads it and then unlinks it, so two waiters that judge the same lock stale
 * at the same instant can race; the window is a few microseconds after a crash, and the loser only retries.
 */
import {randomUUID} from 'node:crypto'
import {open, readFile, stat, unlink} from 'node:fs/promises'
import {hostname} from 'node:os'
import {setTimeout as sleep} from 'node:timers/promises'

import {RiftError} from '../../errors.js'

export interface LockOptions {
  signal?: AbortSignal | undefined
  /** A lock older than this is treated as abandoned. Writes take milliseconds, so ten seconds is generous. */
  staleMs?: number
  /** Give up waiting after this long. */
  timeoutMs?: number
}

interface LockOwner {
  acquiredAt: string
  host: string
  pid: number
  token: string
}

export async function withLock<T>(lockPath: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const token = await acquire(lockPath, options)
  try {
    return await work()
  } finally {
    await release(lockPath, token)
  }
}

async function acquire(lockPath: string, {signal, staleMs = 10_000, timeoutMs = 15_000}: LockOptions): Promise<string> {
  const token = randomUUID()
  const deadline = Date.now() + timeoutMs
  let backoffMs = 2
  for (;;) {
    signal?.throwIfAborted()
    if (await tryCreate(lockPath, token)) return token
    if (await breakIfStale(lockPath, staleMs)) continue
    if (Date.now() > deadline) {
      throw new RiftError('RIFT_DRIVER_UNREACHABLE', `Timed out after ${timeoutMs}ms waiting for the memory fabric lock ${lockPath}`, {
        suggestions: [`If no rift process is running, delete the lock file: rm ${lockPath}`],
      })
    }
    // Jittered, so processes that collided do not collide again in step. The signal is checked at the top of
    // the loop rather than passed to sleep: many waiters on one run signal would each add a listener to it.
    await sleep(backoffMs + Math.random() * backoffMs)
    backoffMs = Math.min(backoffMs * 2, 100)
  }
}

async function tryCreate(lockPath: string, token: string): Promise<boolean> {
  let handle
  try {
    handle = await open(lockPath, 'wx')
  } catch (error) {
    if (codeOf(error) === 'EEXIST') return false
    throw error
  }
  try {
    const owner: LockOwner = {acquiredAt: new Date().toISOString(), host: hostname(), pid: process.pid, token}
    await handle.writeFile(JSON.stringify(owner))
  } finally {
    await handle.close()
  }
  return true
}

/** True when the lock is gone (broken here or released meanwhile), so the caller should retry at once. */
async function breakIfStale(lockPath: string, staleMs: number): Promise<boolean> {
  let ageMs: number
  try {
    ageMs = Date.now() - (await stat(lockPath)).mtimeMs
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return true
    throw error
  }
  const owner = await readOwner(lockPath)
  const ownerDead = owner !== undefined && owner.host === hostname() && !isAlive(owner.pid)
  if (ageMs <= staleMs && !ownerDead) return false
  await unlink(lockPath).catch((error: unknown) => {
    if (codeOf(error) !== 'ENOENT') throw error
  })
  return true
}

async function release(lockPath: string, token: string): Promise<void> {
  // Only the owner removes the lock: if it was broken as stale and re-taken, it belongs to someone else now.
  const owner = await readOwner(lockPath)
  if (owner?.token !== token) return
  await unlink(lockPath).catch((error: unknown) => {
    if (codeOf(error) !== 'ENOENT') throw error
  })
}

async function readOwner(lockPath: string): Promise<LockOwner | undefined> {
  try {
    const parsed: unknown = JSON.parse(await readFile(lockPath, 'utf8'))
    return typeof parsed === 'object' && parsed !== null && 'token' in parsed ? (parsed as LockOwner) : undefined
  } catch {
    // Missing, or created but not yet written by its owner: judge it by age alone.
    return undefined
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return codeOf(error) === 'EPERM'
  }
}

export function codeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined
}
