import { BlockList, isIP } from 'node:net';

/**
 * Operator-trusted destinations (`MONTAGE_ALLOW_HOSTS`): typically an in-cluster MinIO or a
 * staging asset server. A listed destination skips the public-address rule and may use plain
 * http; everything else must be public and https.
 *
 * Entries, comma-separated:
 * - `host` or `host:port` — a DNS name as written in the URL (case-insensitive). Whatever it
 *   resolves to is trusted, because the operator vouched for the name.
 * - `1.2.3.4`, `1.2.3.4:9000`, `[fd00::5]`, `[fd00::5]:9000` — one address, optionally one port.
 * - `10.0.0.0/8`, `fd00::/8` — every address in the block, any port.
 */
export interface AllowList {
  /** The entries as the operator wrote them, for logs and `/readyz` style reporting. */
  readonly entries: readonly string[];
  /** Whether the URL host name `hostname` on `port` is listed by name. */
  allowsHost(hostname: string, port: number): boolean;
  /** Whether a connection to the IP `address` on `port` is listed by address or block. */
  allowsAddress(address: string, port: number): boolean;
}

export type AllowListResult =
  | { readonly ok: true; readonly allowList: AllowList }
  | { readonly ok: false; readonly problems: readonly string[] };

/** An allow list with nothing on it: only public https destinations. */
export const EMPTY_ALLOW_LIST: AllowList = buildAllowList([], [], [], new BlockList());

interface NameEntry {
  readonly name: string;
  /** `null` means any port. */
  readonly port: number | null;
}
interface AddressEntry {
  readonly address: string;
  readonly family: 'ipv4' | 'ipv6';
  readonly port: number | null;
}

// RFC 1123 labels; underscores are tolerated because internal DNS names use them.
const HOST_NAME = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

/**
 * Parses the comma-separated allow list. Returns every problem at once, each naming the entry,
 * so start-up can report them all together.
 */
export function parseAllowList(text: string): AllowListResult {
  const problems: string[] = [];
  const raw: string[] = [];
  const names: NameEntry[] = [];
  const addresses: AddressEntry[] = [];
  const blocks = new BlockList();

  for (const entry of text.split(',').map((e) => e.trim()).filter((e) => e !== '')) {
    const problem = parseEntry(entry.toLowerCase(), names, addresses, blocks);
    if (problem) problems.push(`entry "${entry}": ${problem}`);
    else raw.push(entry);
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, allowList: buildAllowList(raw, names, addresses, blocks) };
}

/** Adds one entry to the right collection; returns why it is invalid, or null. */
function parseEntry(entry: string, names: NameEntry[], addresses: AddressEntry[], blocks: BlockList): string | null {
  if (entry.includes('/')) {
    const [network, prefixText, ...extra] = entry.split('/');
    const family = isIP(network);
    if (extra.length > 0 || family === 0) return 'a CIDR block must look like 10.0.0.0/8 or fd00::/8';
    const max = family === 4 ? 32 : 128;
    if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) return `the prefix length must be 0–${max}`;
    blocks.addSubnet(network, Number(prefixText), family === 4 ? 'ipv4' : 'ipv6');
    return null;
  }

  let host = entry;
  let portText: string | null = null;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(entry);
  if (bracketed) {
    host = bracketed[1];
    portText = bracketed[2] ?? null;
    if (isIP(host) !== 6) return 'only an IPv6 address may appear in brackets';
  } else if (entry.split(':').length === 2) {
    [host, portText] = entry.split(':') as [string, string];
  }

  let port: number | null = null;
  if (portText !== null) {
    port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
    if (!(port >= 1 && port <= 65535)) return 'the port must be a number from 1 to 65535';
  }

  const family = isIP(host);
  if (family !== 0) {
    addresses.push({ address: host, family: family === 4 ? 'ipv4' : 'ipv6', port });
    return null;
  }
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  if (!HOST_NAME.test(name)) return 'not a host name, host:port, IP address or CIDR block';
  names.push({ name, port });
  return null;
}

function buildAllowList(
  entries: readonly string[],
  names: readonly NameEntry[],
  addresses: readonly AddressEntry[],
  blocks: BlockList,
): AllowList {
  // BlockList compares addresses, not spellings: fd00::5 matches fd00:0::5, and 1.2.3.4 matches
  // ::ffff:1.2.3.4. One list per address keeps each entry's own port.
  const single = addresses.map((a) => {
    const list = new BlockList();
    list.addAddress(a.address, a.family);
    return { list, port: a.port };
  });
  return Object.freeze({
    entries: Object.freeze([...entries]),
    allowsHost(hostname: string, port: number): boolean {
      const wanted = hostname.toLowerCase().replace(/\.$/, '');
      return names.some((n) => n.name === wanted && (n.port === null || n.port === port));
    },
    allowsAddress(address: string, port: number): boolean {
      const family = isIP(address);
      if (family === 0) return false;
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (blocks.check(address, type)) return true;
      return single.some((s) => (s.port === null || s.port === port) && s.list.check(address, type));
    },
  });
}
