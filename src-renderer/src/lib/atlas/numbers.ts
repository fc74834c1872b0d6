// The atlas's numbers in the renderer: the one shared way of writing them (common/number-format),
// under the short names the atlas components use.
import { formatNumber, formatSigned } from '../../../../src-main/common/number-format';

export { featureLabel } from '../../../../src-main/common/figures/common';

/** 3 significant digits, m×10ⁿ outside [0.01, 1000), "−" as the minus sign */
export const sig = (v: number): string => formatNumber(v);

/** a signed value with its sign always shown: +1.23, −0.456 */
export const signed = (v: number): string => formatSigned(v);
