package io.meshwatch.routing;

/**
 * Parsing and formatting of IP addresses without {@link java.net.InetAddress}, which may resolve
 * host names and allocates. Stateless and thread-safe.
 */
public final class Addresses {

    private Addresses() {
    }

    /** Parses a dotted-quad IPv4 address into an int. */
    public static int parseIpv4(String s) {
        int value = 0;
        int octets = 0;
        int i = 0;
        int n = s.length();
        while (i < n) {
            int start = i;
            int octet = 0;
            while (i < n && s.charAt(i) != '.') {
                char c = s.charAt(i);
                if (c < '0' || c > '9' || i - start >= 3 || (i > start && s.charAt(start) == '0')) {
                    // no leading zeros: "010" is octal to some tools and decimal to others
                    throw new IllegalArgumentException("'" + s + "' is not an IPv4 address");
                }
                octet = octet * 10 + (c - '0');
                i++;
            }
            if (i == start || octet > 255) {
                throw new IllegalArgumentException("'" + s + "' is not an IPv4 address");
            }
            value = (value << 8) | octet;
            octets++;
            if (i < n) {
                i++; // the dot
                if (i == n) {
                    throw new IllegalArgumentException("'" + s + "' is not an IPv4 address");
                }
            }
        }
        if (octets != 4) {
            throw new IllegalArgumentException("'" + s + "' is not an IPv4 address");
        }
        return value;
    }

    /** Parses an IPv6 address (with optional :: and an embedded dotted quad) into {hi, lo}. */
    public static long[] parseIpv6(String s) {
        int[] groups = new int[8];
        int count = 0;
        int gap = -1;
        int i = 0;
        int n = s.length();
        if (n >= 2 && s.startsWith("::")) {
            gap = 0;
            i = 2;
        } else if (n > 0 && s.charAt(0) == ':') {
            throw bad6(s);
        }
        while (i < n) {
            if (count == 8) {
                throw bad6(s);
            }
            int start = i;
            int v = 0;
            while (i < n && s.charAt(i) != ':') {
                char c = s.charAt(i);
                if (c == '.') {
                    // embedded IPv4 in the last 32 bits
                    if (count > 6) {
                        throw bad6(s);
                    }
                    int v4 = parseIpv4(s.substring(start));
                    groups[count++] = v4 >>> 16;
                    groups[count++] = v4 & 0xFFFF;
                    i = n;
                    v = -1;
                    break;
                }
                int d = Character.digit(c, 16);
                if (d < 0 || i - start >= 4) {
                    throw bad6(s);
                }
                v = (v << 4) | d;
                i++;
            }
            if (v == -1) {
                break;
            }
            if (i == start) {
                throw bad6(s);
            }
            groups[count++] = v;
            if (i < n) {
                i++; // the colon
                if (i < n && s.charAt(i) == ':') {
                    if (gap >= 0) {
                        throw bad6(s);
                    }
                    gap = count;
                    i++;
                } else if (i == n) {
                    throw bad6(s);
                }
            }
        }
        int[] full = new int[8];
        if (gap >= 0) {
            if (count == 8) {
                throw bad6(s);
            }
            System.arraycopy(groups, 0, full, 0, gap);
            System.arraycopy(groups, gap, full, 8 - (count - gap), count - gap);
        } else {
            if (count != 8) {
                throw bad6(s);
            }
            full = groups;
        }
        long hi = 0;
        long lo = 0;
        for (int g = 0; g < 4; g++) {
            hi = (hi << 16) | full[g];
            lo = (lo << 16) | full[g + 4];
        }
        return new long[] {hi, lo};
    }

    private static IllegalArgumentException bad6(String s) {
        return new IllegalArgumentException("'" + s + "' is not an IPv6 address");
    }

    public static String formatIpv4(int a) {
        return (a >>> 24) + "." + ((a >>> 16) & 0xFF) + "." + ((a >>> 8) & 0xFF) + "." + (a & 0xFF);
    }

    /** RFC 5952 text: lower case, the longest run of two or more zero groups as ::. */
    public static String formatIpv6(long hi, long lo) {
        int[] g = new int[8];
        for (int i = 0; i < 4; i++) {
            g[i] = (int) (hi >>> (48 - 16 * i)) & 0xFFFF;
            g[i + 4] = (int) (lo >>> (48 - 16 * i)) & 0xFFFF;
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] == 0) {
                int j = i;
                while (j < 8 && g[j] == 0) {
                    j++;
                }
                if (j - i > bestLen && j - i >= 2) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
