// The contract against real runc, conmon and catatonit on this host.
import { runtimeContract } from './contract.ts';
import { ociHarness } from './oci_harness.ts';

runtimeContract('runc + conmon', ociHarness);
