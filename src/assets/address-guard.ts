import { BlockList, isIPv4, isIPv6 } from 'node:net';

/**
 * Decides whether an IP address is one a render worker may connect to on a customer's behalf.
 *
 * The rule is "public unicast only": anything that could reach the worker itself, its pod network,
 * the cloud metadata service or another tenant's internal service is refused. IPv6 forms that
 * carry an IPv4 address inside (mapped, NAT64, 6to4) are judged by the IPv4 address they carry,
 * because that is where the packets end up.
 */

type Range = readonly [network: string, prefix: number];

/** One BlockList per reason, so a refusal can say which kind of address it was. */
function blockList(family: 'ipv4' | 'ipv6', ranges: readonly Range[]): BlockList {
  const list = new BlockList();
  for (const [network, prefix] of ranges) list.addSubnet(network, prefix, family);
  return list;
}

const IPV4_RULES: ReadonlyArray<readonly [reason: string, list: BlockList]> = [
  ['unspecified ("this network")', blockList('ipv4', [['0.0.0.0', 8]])],
  ['loopback', blockList('ipv4', [['127.0.0.0', 8]])],
  ['private', blockList('ipv4', [['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16]])],
  ['carrier-grade NAT', blockList('ipv4', [['100.64.0.0', 10]])],
  ['link-local (this includes cloud metadata services)', blockList('ipv4', [['169.254.0.0', 16]])],
  ['IETF protocol assignment', blockList('ipv4', [['192.0.0.0', 24], ['192.88.99.0', 24]])],
  ['documentation', blockList('ipv4', [['192.0.2.0', 24], ['198.51.100.0', 24], ['203.0.113.0', 24]])],
  ['benchmarking', blockList('ipv4', [['198.18.0.0', 15]])],
  ['multicast', blockList('ipv4', [['224.0.0.0', 4]])],
  // 240/4 also holds the limited broadcast address 255.255.255.255.
  ['reserved or broadcast', blockList('ipv4', [['240.0.0.0', 4]])],
];

const IPV6_RULES: ReadonlyArray<readonly [reason: string, list: BlockList]> = [
  ['unspecified', blockList('ipv6', [['::', 128]])],
  ['loopback', blockList('ipv6', [['::1', 128]])],
  // The deprecated IPv4-compatible form ::a.b.c.d: no legitimate host uses it any more.
  ['IPv4-compatible (deprecated)', blockList('ipv6', [['::', 96]])],
  ['unique local (private)', blockList('ipv6', [['fc00::', 7]])],
  ['link-local', blockList('ipv6', [['fe80::', 10]])],
  ['site-local (deprecated)', blockList('ipv6', [['fec0::', 10]])],
  ['multicast', blockList('ipv6', [['ff00::', 8]])],
  ['local-use NAT64', blockList('ipv6', [['64:ff9b:1::', 48]])],
  ['discard-only', blockList('ipv6', [['100::', 64]])],
  // 2001::/23 holds Teredo (2001::/32, which tunnels to an obfuscated IPv4 address), benchmarking
  // and ORCHID; nothing an asset host would use.
  ['IETF protocol assignment (Teredo, benchmarking, ORCHID)', blockList('ipv6', [['2001::', 23]])],
  ['documentation', blockList('ipv6', [['2001:db8::', 32], ['3fff::', 20]])],
];

/** Everything outside 2000::/3 (once the embedded-IPv4 forms are handled) is not global unicast. */
const IPV6_GLOBAL_UNICAST = blockList('ipv6', [['2000::', 3]]);

/**
 * Why `address` may not be connected to, as a short phrase ("loopback", "private", …), or `null`
 * when it is a public address. Anything that is not a valid IP address is refused as well.
 */
export function forbiddenReason(address: string): string | null {
  if (isIPv4(address)) return ipv4Reason(address);
  if (!isIPv6(address)) return 'not an IP address';
  const bytes = ipv6Bytes(address);
  const embedded = embeddedIpv4(bytes);
  if (embedded) {
    const reason = ipv4Reason(embedded.address);
    return reason ? `${embedded.form} embedding the ${reason} address ${embedded.address}` : null;
  }
  const plain = stripZone(address);
  for (const [reason, list] of IPV6_RULES) if (list.check(plain, 'ipv6')) return reason;
  if (!IPV6_GLOBAL_UNICAST.check(plain, 'ipv6')) return 'not global unicast';
  return null;
}

function ipv4Reason(address: string): string | null {
  for (const [reason, list] of IPV4_RULES) if (list.check(address, 'ipv4')) return reason;
  return null;
}

/** The IPv4 address inside the IPv6 forms that route to one, with the form's name. */
function embeddedIpv4(b: Uint8Array): { form: string; address: string } | null {
  const zero = (from: number, to: number) => b.subarray(from, to).every((x) => x === 0);
  const v4 = (at: number) => `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
  // ::ffff:a.b.c.d — a dual-stack socket sends this straight to a.b.c.d.
  if (zero(0, 10) && b[10] === 0xff && b[11] === 0xff) return { form: 'IPv4-mapped address', address: v4(12) };
  // 64:ff9b::a.b.c.d — a NAT64 gateway forwards this to a.b.c.d.
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zero(4, 12)) {
    return { form: 'NAT64 address', address: v4(12) };
  }
  // 2002:AABB:CCDD::/48 — a 6to4 relay forwards this to AA.BB.CC.DD.
  if (b[0] === 0x20 && b[1] === 0x02) return { form: '6to4 address', address: v4(2) };
  return null;
}

function stripZone(address: string): string {
  const percent = address.indexOf('%');
  return percent === -1 ? address : address.slice(0, percent);
}

/** The 16 bytes of a valid IPv6 address (zone ids dropped, a trailing dotted quad allowed). */
export function ipv6Bytes(address: string): Uint8Array {
  let text = stripZone(address).toLowerCase();
  // Rewrite a trailing dotted quad (::ffff:1.2.3.4) as two hex groups (::ffff:102:304).
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, rest] = text.split('::') as [string, string | undefined];
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const left = parse(head);
  const right = rest === undefined ? [] : parse(rest);
  const fill = rest === undefined ? 0 : 8 - left.length - right.length;
  const groups = [...left, ...new Array<number>(fill).fill(0), ...right];
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[i * 2] = g >> 8;
    bytes[i * 2 + 1] = g & 0xff;
  });
  return bytes;
}
