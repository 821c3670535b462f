// The alert state machine of one check, as a pure function: a result (or the lack of one that counts) moves
// the state, and some moves are worth telling people. Skipped results and results inside a maintenance
// window count neither way; a result not newer than the last one seen (a replay, a replica's copy) is ignored.
//
//   ok ──(failureThreshold failures in a row)──> firing       sends "firing"
//   firing ──(a failure, repeatEvery after the last message)──> firing   sends "reminder"
//   firing ──(successThreshold passes in a row)──> ok         sends "recovered"

import type { Health } from '../history/store.js';

export type AlertStatus = 'ok' | 'firing';
export type Transition = 'firing' | 'reminder' | 'recovered';

export interface AlertState {
  checkId: string;
  status: AlertStatus;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  /** When the current failing streak began (its first failed result's start), epoch ms; null while passing. */
  sinceMs: number | null;
  /** How many times the check has started firing: the current (or last) incident's number. */
  incident: number;
  /** Reminders sent in the current incident. */
  reminders: number;
  /** When the last message of the current incident went out, epoch ms. */
  lastSentMs: number | null;
  /** Start of the newest result taken into account, epoch ms. */
  lastResultMs: number;
}

export interface AlertPolicy {
  failureThreshold: number;
  successThreshold: number;
  /** 0: no reminders. */
  repeatEvery: number;
}

export interface Observation {
  health: Health;
  /** The result's start, epoch ms. */
  startedMs: number;
  /** Inside a maintenance window: recorded as seen, counted neither way. */
  muted: boolean;
}

export interface Move {
  state: AlertState;
  transition?: Transition;
}

export function initialState(checkId: string): AlertState {
  return { checkId, status: 'ok', consecutiveFailures: 0, consecutiveSuccesses: 0, sinceMs: null, incident: 0, reminders: 0, lastSentMs: null, lastResultMs: -1 };
}

/** The next state after a result at `now` (the engine's clock), or undefined when the result changes nothing. */
export function nextState(state: AlertState, seen: Observation, now: number, policy: AlertPolicy): Move | undefined {
  if (seen.startedMs <= state.lastResultMs) return undefined;
  const next: AlertState = { ...state, lastResultMs: seen.startedMs };
  if (seen.muted || seen.health === 'skipped') return { state: next };

  if (seen.health === 'down') {
    next.consecutiveFailures += 1;
    next.consecutiveSuccesses = 0;
    next.sinceMs ??= seen.startedMs;
    if (next.status === 'ok' && next.consecutiveFailures >= policy.failureThreshold) {
      return { state: { ...next, status: 'firing', incident: next.incident + 1, reminders: 0, lastSentMs: now }, transition: 'firing' };
    }
    if (next.status === 'firing' && policy.repeatEvery > 0 && now - (next.lastSentMs ?? now) >= policy.repeatEvery) {
      return { state: { ...next, reminders: next.reminders + 1, lastSentMs: now }, transition: 'reminder' };
    }
    return { state: next };
  }

  next.consecutiveSuccesses += 1;
  next.consecutiveFailures = 0;
  if (next.status === 'ok') return { state: { ...next, sinceMs: null } };
  if (next.consecutiveSuccesses >= policy.successThreshold) {
    return { state: { ...next, status: 'ok', sinceMs: null, lastSentMs: now }, transition: 'recovered' };
  }
  // Still firing until enough passes in a row: the incident and its start stay.
  return { state: next };
}

/** The key that makes a message unique: one send per (check, incident, transition), whoever claims it first. */
export function transitionKey(transition: Transition, state: AlertState): string {
  return transition === 'reminder' ? `reminder-${state.reminders}` : transition;
}
