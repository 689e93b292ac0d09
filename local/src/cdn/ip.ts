/**
 * IP address checks for token conditions: CloudFront's `AWS:SourceIp` CIDR and Akamai's `ip=` field.
 */
import { BlockList, isIP } from "node:net";

/** The socket's address without the IPv4-mapped IPv6 prefix. */
export function normaliseIp(address: string | undefined): string {
  if (!address) return "";
  return address.startsWith("::ffff:") && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

export function ipInCidr(ip: string, cidr: string): boolean {
  const [network, bitsText] = cidr.split("/");
  const family = isIP(network ?? "");
  if (!network || family === 0 || isIP(ip) !== family) return false;
  const bits = bitsText === undefined ? (family === 4 ? 32 : 128) : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > (family === 4 ? 32 : 128)) return false;
  const list = new BlockList();
  const type = family === 4 ? "ipv4" : "ipv6";
  list.addSubnet(network, bits, type);
  return list.check(ip, type);
}
