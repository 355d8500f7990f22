/**
 * Game-day keys, as pure functions: raw terminal input → keys → what the operator meant. y/s/a answer the
 * prompt before a fault; n starts a note, Enter saves it on the journal's timeline, Esc drops it; Ctrl-C
 * halts the run (raw mode turns it into a byte, so it is passed on as a real SIGINT).
 */
import type {FaultDecision} from '../../engine/events.js'
import type {LiveState} from './state.js'

export type Key = {type: 'char'; char: string} | {type: 'enter' | 'backspace' | 'escape' | 'interrupt'}

export function parseKeys(chunk: string): Key[] {
  const keys: Key[] = []
  for (let index = 0; index < chunk.length; index++) {
    const char = chunk[index]!
    if (char === '\u0003') keys.push({type: 'interrupt'})
    else if (char === '\r' || char === '\n') keys.push({type: 'enter'})
    else if (char === '\u007f' || char === '\b') keys.push({type: 'backspace'})
    else if (char === '\u001b') {
      // An arrow or function key arrives as ESC [ … or ESC O …: ignored whole. A lone ESC is Escape.
      // eslint-disable-next-line no-control-regex -- terminal input is what this parses
      const sequence = /^\u001b(\[[0-9;?]*[ -/]*[@-~]|O.)/.exec(chunk.slice(index))
      if (sequence) index += sequence[0].length - 1
      else keys.push({type: 'escape'})
    } else if (char >= ' ') keys.push({char, type: 'char'})
  }
  return keys
}

export type KeyEffect = {type: 'decide'; decision: FaultDecision} | {type: 'note'; text: string} | {type: 'interrupt'} | {type: 'redraw'}

/** Applies one key to the view's state (the note being typed) and says what else it means, if anything. */
export function applyKey(state: LiveState, key: Key): KeyEffect | null {
  if (key.type === 'interrupt') return {type: 'interrupt'}
  if (state.noteDraft !== null) {
    switch (key.type) {
      case 'char':
        state.noteDraft += key.char
        return {type: 'redraw'}
      case 'backspace':
        state.noteDraft = [...state.noteDraft].slice(0, -1).join('')
        return {type: 'redraw'}
      case 'escape':
        state.noteDraft = null
        return {type: 'redraw'}
      case 'enter': {
        const text = state.noteDraft.trim()
        state.noteDraft = null
        return text === '' ? {type: 'redraw'} : {text, type: 'note'}
      }
    }
  }
  if (key.type !== 'char' || state.journal !== null) return null
  const char = key.char.toLowerCase()
  if (char === 'n') {
    state.noteDraft = ''
    return {type: 'redraw'}
  }
  if (!state.prompt) return null
  if (char === 'y') return {decision: 'inject', type: 'decide'}
  if (char === 's') return {decision: 'skip', type: 'decide'}
  if (char === 'a') return {decision: 'abort', type: 'decide'}
  return null
}
