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
        var text = trimmed(email).lowercased()
        if let open = text.lastIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close {
            text = String(text[text.index(after: open)..<close])
        }
        guard let at = text.lastIndex(of: "@") else { return nil }
        let local = text[..<at]
        guard !local.isEmpty else { return nil }
        return validHost(String(text[text.index(after: at)...]))
    }

    /// The domain of a website or URL: lowercased, scheme, user info, `www.`
    /// (and `www2.`…), port, path, query and fragment stripped:
    /// `HTTPS://www.Acme.com:8443/about?x=1` → `acme.com`. A bare email address
    /// in a website field gives its domain. Nil for empty or non-host text.
    public static func fromWebsite(_ website: String) -> String? {
        var text = Substring(trimmed(website).lowercased())
        if let scheme = text.firstRange(of: "://") { text = text[scheme.upperBound...] }
        else if text.hasPrefix("//") { text = text.dropFirst(2) }
        if let end = text.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { text = text[..<end] }
        if let at = text.lastIndex(of: "@") { text = text[text.index(after: at)...] }
        if let colon = text.lastIndex(of: ":") { text = text[..<colon] }
        guard var host = validHost(String(text)) else { return nil }
        if let first = host.split(separator: ".", maxSplits: 1).first, first.hasPrefix("www"),
           first.dropFirst(3).allSatisfy(\.isNumber), host.split(separator: ".").count > 2 {
            host = String(host.dropFirst(first.count + 1))
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

    /// A host name of letters, digits, hyphens and dots with at least one dot
    /// and no empty label; a trailing dot (`acme.com.`) is dropped.
    static func validHost(_ text: String) -> String? {
        var host = Substring(text)
        if host.last == "." { host = host.dropLast() }
        guard !host.isEmpty, host.contains("."),
              host.unicodeScalars.allSatisfy({ $0.isASCIIHostCharacter || $0.value > 0x7F }) else { return nil }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.allSatisfy({ !$0.isEmpty && $0.first != "-" && $0.last != "-" }),
              let tld = labels.last, !tld.allSatisfy(\.isNumber) else { return nil }
        return String(host)
    }

    /// Spaces, tabs, line breaks and no-break spaces removed from both ends.
    static func trimmed(_ text: String) -> String {
        var s = Substring(text)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIIHostCharacter: Bool {
        switch value {
        case 0x30...0x39, 0x61...0x7A, 0x2D, 0x2E: true
        default: false
        }
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
