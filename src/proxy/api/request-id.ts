/**
 * Request ids in the format Toxiproxy uses (rs/xid): 12 bytes (4 of seconds, 3 of machine, 2 of process
 * id, 3 of a counter that starts at random) as 20 characters of base32hex, lowercase and unpadded.
 */
import {createHash, randomBytes} from 'node:crypto'
import {hostname} from 'node:os'

const ALPHABET = '0123456789abcdefghijklmnopqrstuv'
const machine = createHash('md5').update(hostname()).digest().subarray(0, 3)
let counter = randomBytes(3).readUIntBE(0, 3)

export function requestId(): string {
  const id = Buffer.alloc(12)
  id.writeUInt32BE(Math.floor(Date.now() / 1000) >>> 0, 0)
  machine.copy(id, 4)
  id.writeUInt16BE(process.pid & 0xffff, 7)
  counter = (counter + 1) & 0xffffff
  id.writeUIntBE(counter, 9, 3)
  let bits = 0
  let value = 0
  let out = ''
  for (const byte of id) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
    value &= (1 << bits) - 1
  }
  return out + ALPHABET[(value << (5 - bits)) & 31]
}
