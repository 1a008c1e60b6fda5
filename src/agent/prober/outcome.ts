// What one probe run found, before thresholds: the kubelet's probe.Result with its output.
//   Success  the check passed (output may say more, e.g. an HTTP body)
//   Warning  passed with something to say (an HTTP redirect not followed): an event, then Success
//   Failure  the check failed; output is the event's text ("HTTP probe failed with statuscode: 500")
export interface ProbeOutcome {
  result: 'Success' | 'Warning' | 'Failure';
  output: string;
}
