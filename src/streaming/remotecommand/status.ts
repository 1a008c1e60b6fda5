// The error channel's message at the end of an exec or attach (remotecommand v4/v5): a
// metav1.Status. kubectl turns NonZeroExitCode with an ExitCode cause into its own exit code
// ("command terminated with exit code 3"), and prints any other failure as `error: MESSAGE`.
import type { CommandResult } from './session.ts';

export interface CommandStatus {
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: { causes: { reason?: string; message: string }[] };
  code?: number;
}

export function commandStatus(result: CommandResult): CommandStatus {
  if ('error' in result) {
    return {
      metadata: {}, status: 'Failure', message: `Internal error occurred: ${result.error}`, reason: 'InternalError',
      details: { causes: [{ message: result.error }] }, code: 500,
    };
  }
  if (result.exitCode === 0) return { metadata: {}, status: 'Success' };
  const command = result.command ? `error executing command ${goSlice(result.command)}, ` : '';
  return {
    metadata: {}, status: 'Failure',
    message: `command terminated with non-zero exit code: ${command}exit code ${result.exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(result.exitCode) }] },
  };
}

/** Go's %v of a []string: [sh -c exit 3]. */
function goSlice(words: string[]): string {
  return `[${words.join(' ')}]`;
}

export function encodeCommandStatus(result: CommandResult): Buffer {
  return Buffer.from(JSON.stringify(commandStatus(result)));
}
