/**
 * Where the PostgreSQL server programs are, and how to run them. PostgreSQL refuses to run as root, so when
 * rift runs as root (CI containers) they run as the `postgres` OS user, and the folders they write are
 * handed to that user first.
 */
import {execFile, spawn} from 'node:child_process'
import {existsSync, readdirSync} from 'node:fs'
import {chown, stat} from 'node:fs/promises'
import path from 'node:path'
import {promisify} from 'node:util'

const run = promisify(execFile)

export const SERVER_PROGRAMS = ['initdb', 'pg_ctl', 'pg_basebackup', 'postgres'] as const

/** RIFT_PG_BIN, else `pg_config --bindir`'s neighbours, else the newest /usr/lib/postgresql/<major>/bin (Debian keeps them off PATH). */
export function findPgBin(): string | undefined {
  const candidates: string[] = []
  if (process.env.RIFT_PG_BIN) candidates.push(process.env.RIFT_PG_BIN)
  const debian = '/usr/lib/postgresql'
  if (existsSync(debian)) {
    const majors = readdirSync(debian).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a))
    candidates.push(...majors.map((major) => path.join(debian, major, 'bin')))
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) if (dir !== '') candidates.push(dir)
  return candidates.find((dir) => SERVER_PROGRAMS.every((program) => existsSync(path.join(dir, program))))
}

export interface RunAs {
  uid: number
  gid: number
}

/** The `postgres` user's ids when running as root; undefined otherwise (the programs then run as the current user). */
export async function serverUser(): Promise<RunAs | undefined> {
  if (process.getuid?.() !== 0) return undefined
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])])
    return {gid: Number(gid.stdout.trim()), uid: Number(uid.stdout.trim())}
  } catch {
    throw new Error('running as root, and PostgreSQL refuses to run as root: create a `postgres` user (the Debian package does) or run as another user')
  }
}

/**
 * Hands a folder to the server's user, so it can create data directories and logs in it. Its ancestors must
 * let that user through; a private temporary folder (mkdtemp makes them 0700) would not, so that is an error
 * that says what to change rather than initdb's bare "Permission denied".
 */
export async function handOver(dir: string, user: RunAs | undefined): Promise<void> {
  if (!user) return
  await chown(dir, user.uid, user.gid)
  for (let ancestor = path.dirname(path.resolve(dir)); ; ancestor = path.dirname(ancestor)) {
    const info = await stat(ancestor)
    const searchable = info.uid === user.uid ? (info.mode & 0o100) !== 0 : info.gid === user.gid ? (info.mode & 0o010) !== 0 : (info.mode & 0o001) !== 0
    if (!searchable) throw new Error(`the postgres user cannot reach ${dir}: ${ancestor} is not searchable by it (chmod o+x ${ancestor}, or use another folder)`)
    if (ancestor === path.dirname(ancestor)) return
  }
}

/** The folder a program works in (its -D), as a harmless HOME for the server's user. */
function cwdFor(args: string[]): string {
  const index = args.indexOf('-D')
  return index >= 0 && args[index + 1] !== undefined ? path.dirname(args[index + 1]!) : '/'
}

export interface ProgramResult {
  stdout: string
  stderr: string
}

/** Runs a server program to completion; rejects with its stderr when it fails or outlives `timeoutMs`. */
export function runProgram(bin: string, program: string, args: string[], user: RunAs | undefined, timeoutMs = 60_000): Promise<ProgramResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(bin, program), args, {
      // pg_ctl start leaves the postmaster running with its output in the log file, never in these pipes.
      // HOME: libpq looks there for ~/.pgpass, which must not be root's when running as postgres.
      env: {...process.env, LC_ALL: 'C', PGTZ: 'UTC', ...(user ? {HOME: cwdFor(args)} : {})},
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(user ? {gid: user.gid, uid: user.uid} : {}),
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.once('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.once('close', (code, signal) => {
      clearTimeout(timer)
      if (code === 0) resolve({stderr, stdout})
      else reject(new Error(`${program} ${args.join(' ')} ${signal ? `was killed (${signal})` : `exited ${code}`}: ${(stderr || stdout).trim().slice(-800)}`))
    })
  })
}
