// A file the back end rendered (base64) saved by the browser: a Blob behind a temporary
// <a download>, which Chromium and Electron both turn into a download of that name (Electron
// asks where to save it in its own dialog).
import type { ExportedAtlas, ExportedFigure } from '../../../../src-main/common/contract';

export function bytesOfBase64(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function download(file: Pick<ExportedFigure | ExportedAtlas, 'filename' | 'mime' | 'base64'>): void {
  const url = URL.createObjectURL(new Blob([bytesOfBase64(file.base64)], { type: file.mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.filename;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // the download has taken the bytes once the click is handled; free them a little later
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
