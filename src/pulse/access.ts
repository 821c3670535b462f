// What a check sees of Pulse: filled in by the Pulse layer (src/pulse/).
export interface PulseAccess {
  readonly namespace: string;
}
