// Typed failures of a pull; callers branch on `code`, never on message text.
export type RegistryErrorCode = 'NotFound' | 'Unauthorized' | 'DigestMismatch' | 'NoMatchingPlatform' | 'Unsupported' | 'Unavailable';

export class RegistryError extends Error {
  readonly code: RegistryErrorCode;
  readonly retryable: boolean;

  constructor(code: RegistryErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'RegistryError';
    this.code = code;
    this.retryable = code === 'Unavailable' || code === 'DigestMismatch';
  }
}
