/**
 * Which `format_version`s of the JSON plan format plangate reads. Terraform declared the format
 * stable at 1.0: a new minor only adds fields, a new major breaks. 0.1 and 0.2 predate that and
 * still circulate.
 */
import { InputError } from "./types.js";

/** The newest minor of major 1 whose fields we know. */
export const KNOWN_MINOR = 2;

/** Validate `version`; returns it, or throws `InputError`. Calls `warn` for an unknown 1.x minor. */
export function checkFormatVersion(version: string, file: string, warn: (w: string) => void): string {
  const m = /^(\d+)\.(\d+)$/.exec(version);
  if (!m)
    throw new InputError(`unsupported plan format_version "${version}" (expected 0.1, 0.2 or 1.x)`, file);
  const major = Number(m[1]);
  const minor = Number(m[2]);
  if (major === 0 && (minor === 1 || minor === 2)) return version;
  if (major === 1) {
    if (minor > KNOWN_MINOR) {
      warn(
        `plan format_version ${version} is newer than the 1.${KNOWN_MINOR} plangate knows; unknown fields are ignored`,
      );
    }
    return version;
  }
  throw new InputError(`unsupported plan format_version "${version}" (expected 0.1, 0.2 or 1.x)`, file);
}
