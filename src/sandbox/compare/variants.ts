/** The four layouts of the classic comparison, as `rift sandbox compare --patterns` names them. */
import {RiftError} from '../../errors.js'
import type {Pattern, ReplicationMode} from '../types.js'

export interface Variant {
  id: string
  label: string
  pattern: Pattern
  replication: ReplicationMode | 'none'
}

export const VARIANTS: readonly Variant[] = [
  {id: 'active-passive-async', label: 'active-passive, async replication', pattern: 'active-passive', replication: 'async'},
  {id: 'active-passive-sync', label: 'active-passive, sync replication', pattern: 'active-passive', replication: 'sync'},
  {id: 'active-active', label: 'active-active (async, last writer wins)', pattern: 'active-active', replication: 'async'},
  {id: 'sharded', label: 'sharded by home region', pattern: 'sharded', replication: 'none'},
]

export const VARIANT_IDS = VARIANTS.map((variant) => variant.id)

/** `active-passive-async,sharded` → those variants, in the table's order; every unknown name is reported. */
export function selectVariants(list: string | undefined): Variant[] {
  if (list === undefined || list.trim() === '') return [...VARIANTS]
  const names = list.split(',').map((name) => name.trim()).filter((name) => name !== '')
  const unknown = names.filter((name) => !VARIANT_IDS.includes(name))
  if (unknown.length > 0 || names.length === 0) {
    throw new RiftError('RIFT_USAGE', `--patterns: ${unknown.length > 0 ? `unknown pattern(s) ${unknown.join(', ')}` : 'no pattern given'}; choose from ${VARIANT_IDS.join(', ')}`, {
      suggestions: ['rift sandbox compare --patterns active-passive-async,active-passive-sync'],
    })
  }
  return VARIANTS.filter((variant) => names.includes(variant.id))
}
