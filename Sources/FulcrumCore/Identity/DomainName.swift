/// Web domains pulled out of email addresses and website fields, as the keys
/// that tie people and duplicate records to an account.
///
/// Decision on subdomains: the extractors keep the whole host (`mail.acme.com`
/// stays `mail.acme.com`, minus a leading `www.`), because a subsidiary may
/// really live on its own subdomain. Matching then tries the host first and
/// falls back to its *registrable* domain (`acme.com`, `acme.co.uk`), so
/// `jo@mail.acme.com` still finds the account whose website is `acme.com`.
public enum DomainName {
    /// The domain of an email address: lowercased and trimmed, taken after the
    /// last `@`, with display-name wrappers (`Jo <jo@acme.com>`) and a trailing
    /// dot removed. Nil when there is no `@` or the part after it is not a
    /// plausible host name.
    public static func fromEmail(_ email: String) -> String? {
        var text = lowerBytes(email)[...]
        if let open = text.lastIndex(of: UInt8(ascii: "<")), let close = text.lastIndex(of: UInt8(ascii: ">")),
            open < close
        {
            text = text[(open + 1)..<close]
        }
        guard let at = text.lastIndex(of: UInt8(ascii: "@")), at > text.startIndex else { return nil }
        return validHost(text[(at + 1)...])
    }

    /// The domain of a website or URL: lowercased, scheme, user info, `www.`
    /// (and `www2.`…), port, path, query and fragment stripped:
    /// `HTTPS://www.Acme.com:8443/about?x=1` → `acme.com`. A bare email address
    /// in a website field gives its domain. Nil for empty or non-host text.
    public static func fromWebsite(_ website: String) -> String? {
        let bytes = lowerBytes(website)
        var text = bytes[...]
        if let scheme = firstIndex(of: Array("://".utf8), in: text) {
            text = text[(scheme + 3)...]
        } else if text.starts(with: Array("//".utf8)) {
            text = text.dropFirst(2)
        }
        if let end = text.firstIndex(where: {
            $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#")
        }) {
            text = text[..<end]
        }
        if let at = text.lastIndex(of: UInt8(ascii: "@")) { text = text[(at + 1)...] }
        if let colon = text.lastIndex(of: UInt8(ascii: ":")) { text = text[..<colon] }
        guard let host = validHost(text) else { return nil }
        let labels = host.split(separator: ".")
        if labels.count > 2, let first = labels.first, first.hasPrefix("www"), first.dropFirst(3).allSatisfy(\.isNumber)
        {
            return String(host.dropFirst(first.count + 1))
        }
        return host
    }

    /// The registrable domain (one label under the public suffix):
    /// `mail.acme.com` → `acme.com`, `shop.acme.co.uk` → `acme.co.uk`. The
    /// host itself when it is already registrable or too short to shorten.
    public static func registrable(_ host: String) -> String {
        let labels = host.split(separator: ".")
        guard labels.count > 2 else { return host }
        let lastTwo = labels.suffix(2).joined(separator: ".")
        let keep = PublicSuffixes.twoLabel.contains(lastTwo) ? 3 : 2
        return labels.suffix(keep).joined(separator: ".")
    }

    /// The host and then its shorter parents down to the registrable domain,
    /// most specific first: `a.mail.acme.com` → [`a.mail.acme.com`, `mail.acme.com`, `acme.com`].
    public static func lookupChain(_ host: String) -> [String] {
        let base = registrable(host)
        var chain = [host]
        var labels = host.split(separator: ".")
        while labels.count > 1, chain.last != base {
            labels.removeFirst()
            chain.append(labels.joined(separator: "."))
        }
        return chain
    }

    /// A host name of letters, digits, hyphens and dots (or non-ASCII, for
    /// internationalized names) with at least one dot, no empty label, no label
    /// starting or ending with a hyphen, and a top-level label that is not all
    /// digits; a trailing dot (`acme.com.`) is dropped.
    static func validHost(_ text: String) -> String? { validHost(Array(text.utf8)[...]) }

    static func validHost(_ bytes: ArraySlice<UInt8>) -> String? {
        var host = bytes
        if host.last == UInt8(ascii: ".") { host = host.dropLast() }
        // DNS names are at most 253 characters; a longer value is not a host, and never worth comparing.
        guard !host.isEmpty, host.count <= 253, host.contains(UInt8(ascii: ".")) else { return nil }
        var labelStart = host.startIndex
        var topLevelAllDigits = true
        for i in host.indices {
            let b = host[i]
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), 0x80...0xFF: topLevelAllDigits = false
            case UInt8(ascii: "0")...UInt8(ascii: "9"): break
            case UInt8(ascii: "-"):
                if i == labelStart || i + 1 == host.endIndex || host[i + 1] == UInt8(ascii: ".") { return nil }
            case UInt8(ascii: "."):
                if i == labelStart { return nil }
                labelStart = i + 1
                topLevelAllDigits = true
            default: return nil
            }
        }
        guard labelStart < host.endIndex, !topLevelAllDigits else { return nil }
        return String(decoding: host, as: UTF8.self)
    }

    /// Spaces, tabs, line breaks and no-break spaces removed from both ends.
    static func trimmed(_ text: String) -> String {
        var s = Substring(text)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }

    /// The trimmed text as lower-case UTF-8 bytes (ASCII folded in place; other text through `lowercased()`).
    private static func lowerBytes(_ text: String) -> [UInt8] {
        var bytes = Array(text.utf8)
        if bytes.contains(where: { $0 >= 0x80 }) { bytes = Array(trimmed(text).lowercased().utf8) }
        var lo = 0
        var hi = bytes.count
        while lo < hi, bytes[lo] == 0x20 || (0x09...0x0D).contains(bytes[lo]) { lo += 1 }
        while hi > lo, bytes[hi - 1] == 0x20 || (0x09...0x0D).contains(bytes[hi - 1]) { hi -= 1 }
        var out = Array(bytes[lo..<hi])
        for i in out.indices where (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(out[i]) { out[i] += 0x20 }
        return out
    }

    private static func firstIndex(of needle: [UInt8], in hay: ArraySlice<UInt8>) -> Int? {
        guard hay.count >= needle.count else { return nil }
        var i = hay.startIndex
        while i + needle.count <= hay.endIndex {
            if hay[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}

/// Public suffixes of two labels under which companies register (`co.uk`),
/// so `acme.co.uk` is registrable and `co.uk` is not. A hand-kept subset of
/// the Public Suffix List: the country second levels that business domains
/// actually use. Add to it when a market needs one.
enum PublicSuffixes {
    static let twoLabel: Set<String> = [
        "co.uk", "org.uk", "ac.uk", "gov.uk", "ltd.uk", "plc.uk", "me.uk", "net.uk",
        "com.au", "net.au", "org.au", "edu.au", "gov.au",
        "co.nz", "org.nz", "net.nz",
        "co.jp", "ne.jp", "or.jp", "ac.jp", "go.jp",
        "co.kr", "or.kr", "ne.kr",
        "com.cn", "net.cn", "org.cn", "com.hk", "com.tw", "com.sg", "com.my",
        "co.in", "net.in", "org.in", "firm.in", "gen.in", "ind.in",
        "co.id", "co.th", "in.th", "com.ph", "com.vn", "com.pk",
        "co.za", "org.za", "com.ng", "co.ke", "com.eg",
        "com.br", "net.br", "org.br", "com.ar", "com.mx", "com.co", "com.pe", "com.uy", "com.ve", "cl.cl",
        "co.il", "org.il", "com.tr", "net.tr", "com.sa", "com.ua", "com.pl", "net.pl", "com.ru",
        "co.at", "or.at", "com.es", "com.pt", "com.gr", "com.cy", "com.mt",
    ]
}
