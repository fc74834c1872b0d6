// Whether the Slurm tests can run here: sbatch answers. CI sets REQUIRE_SLURM=1, which turns a
// missing cluster into a failure instead of a skip.
import { execFileSync } from 'node:child_process';

export const HAVE_SLURM = (() => {
  try {
    execFileSync('sbatch', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

export const REQUIRE_SLURM = process.env.REQUIRE_SLURM === '1';
