/// Free-mail and consumer ISP domains. An address on one of them says nothing
/// about the company a person works for, so a lead from `jo@gmail.com` is never
/// tied to an account by its domain — only by an explicit id or the company name
/// it typed — and an account whose website field holds such a domain is never a
/// domain match for anyone.
///
/// Two parts: `exact`, the domains themselves, and `families`, providers that
/// register the same name under many country suffixes (`yahoo.co.jp`,
/// `hotmail.fr`, `gmx.at`), matched on the label just under the public suffix.
/// docs/identity.md says where the list comes from and how to maintain it;
/// `IdentityFreeMailTests` keeps it sorted, lower case and free of duplicates.
public enum FreeMailDomains {
    /// True when `domain` (or the registrable domain it sits under) is a
    /// free-mail or ISP domain: `gmail.com`, `mail.yahoo.co.uk`, `gmx.ch`.
    public static func contains(_ domain: String) -> Bool {
        let host = domain.lowercased()
        for candidate in DomainName.lookupChain(host) where exact.contains(candidate) { return true }
        let base = DomainName.registrable(host)
        guard let label = base.split(separator: ".").first else { return false }
        return families.contains(String(label))
    }

    /// Providers whose name is a free-mail domain under any suffix.
    public static let families: Set<String> = [
        "aol", "gmx", "hotmail", "live", "outlook", "rambler", "windowslive", "yahoo", "yandex", "ymail",
    ]

    /// The domains to match exactly (and their subdomains).
    public static let exact: Set<String> = Set(listed)

    /// The list as maintained: grouped by kind, alphabetical within the first
    /// group; the tests refuse duplicates, upper case and anything not a host.
    public static let listed: [String] = [
        "126.com", "139.com", "163.com", "188.com", "189.cn", "21cn.com", "2980.com", "aim.com", "alice.it",
        "alumni.harvard.edu", "aol.co.uk", "aol.com", "aol.de", "aol.fr", "arcor.de", "att.net", "bell.net",
        "bellsouth.net", "bigpond.com", "bigpond.net.au", "bk.ru", "blueyonder.co.uk", "bluewin.ch", "bol.com.br",
        "btconnect.com", "btinternet.com", "btopenworld.com", "cableone.net", "centurylink.net", "centurytel.net",
        "charter.net", "chello.nl", "citromail.hu", "clear.net.nz", "comcast.net", "cox.net", "daum.net",
        "earthlink.net", "email.com", "email.cz", "eircom.net", "embarqmail.com", "fastmail.com", "fastmail.fm",
        "foxmail.com", "free.fr", "freemail.hu", "freenet.de", "frontier.com", "frontiernet.net", "gmail.com",
        "gmx.com", "gmx.de", "gmx.net", "googlemail.com", "hanmail.net", "hey.com", "hotmail.co.uk",
        "hotmail.com", "hushmail.com", "icloud.com", "iinet.net.au", "inbox.com", "inbox.lt", "inbox.lv",
        "inbox.ru", "interia.pl", "juno.com", "kakao.com", "kpnmail.nl", "laposte.net", "libero.it", "list.ru",
        "live.com", "lycos.com", "mac.com", "mail.com", "mail.ee", "mail.ru", "mailbox.org", "me.com",
        "mindspring.com", "msn.com", "mweb.co.za", "nate.com", "naver.com", "neuf.fr", "netscape.net",
        "netzero.net", "ntlworld.com", "o2.pl", "office365.com", "onet.pl", "optimum.net", "optonline.net",
        "optusnet.com.au", "orange.fr", "orange.net", "outlook.com", "pm.me", "poczta.fm", "posteo.de",
        "posteo.net", "proton.me", "protonmail.ch", "protonmail.com", "qq.com", "rambler.ru", "rediffmail.com",
        "rocketmail.com", "rogers.com", "sbcglobal.net", "seznam.cz", "sfr.fr", "shaw.ca", "sina.cn", "sina.com",
        "sky.com", "skynet.be", "sohu.com", "suddenlink.net", "sympatico.ca", "t-online.de", "talktalk.net",
        "telenet.be", "telia.com", "telus.net", "terra.com.br", "tiscali.co.uk", "tiscali.it", "tpg.com.au",
        "tuta.io", "tutamail.com", "tutanota.com", "tutanota.de", "uol.com.br", "verizon.net", "videotron.ca",
        "virgilio.it", "virginmedia.com", "vodafone.de", "wanadoo.fr", "web.de", "wp.pl", "xs4all.nl",
        "ya.ru", "yahoo.com", "yandex.com", "yandex.ru", "yeah.net", "ymail.com", "zoho.com", "zohomail.com",
        // Further consumer ISPs and webmail services.
        "abv.bg", "adelphia.net", "alltel.net", "ameritech.net", "anonymousspeech.com", "aon.at",
        "att.com.mx", "azet.sk", "bigpond.net", "blueyonder.com", "bol.com", "breezein.net", "btclick.com",
        "buckeye-express.com", "cfl.rr.com", "chartermi.net", "cogeco.ca", "consolidated.net", "cs.com",
        "dbmail.com", "dodo.com.au", "earthlink.com", "eastlink.ca", "epix.net", "excite.com", "excite.it",
        "fibertel.com.ar", "fibre.ch", "frontier.net", "globo.com", "gmx.ch", "gmx.fr", "gmx.us", "go.com",
        "hetnet.nl", "home.nl", "hotmail.de", "hotmail.es", "hotmail.fr", "hotmail.it", "ig.com.br", "iprimus.com.au",
        "kabelmail.de", "knology.net", "lavabit.com", "lantic.net", "mail.bg", "mail.dk", "mailfence.com",
        "me.ru", "mediacombb.net", "metrocast.net", "mts.net", "myself.com", "netcologne.de", "netvigator.com",
        "netcabo.pt", "nyc.rr.com", "online.de", "online.no", "orange.es", "orange.pl", "ozemail.com.au",
        "pacbell.net", "planet.nl", "prodigy.net", "prodigy.net.mx", "ptd.net", "q.com", "qwest.net",
        "rcn.com", "rediff.com", "rr.com", "runbox.com", "sapo.pt", "sasktel.net", "sccoast.net", "sesmail.com",
        "shaw.net", "sky.co.uk", "snet.net", "spectrum.net", "swbell.net", "tds.net", "telefonica.net", "telkomsa.net",
        "teleworm.us", "telstra.com", "terra.es", "tin.it", "tiscali.fr", "tom.com", "twc.com", "ukr.net",
        "unitymedia.de", "usa.com", "usa.net", "virgin.net", "vtr.net", "walla.co.il", "walla.com", "wanadoo.es",
        "wave.net", "wildblue.net", "windstream.net", "wow.net", "ya.com", "yahoo.cn", "zahav.net.il", "ziggo.nl",
        "zoznam.sk", "zonnet.nl",
        // Alumni, forwarding and privacy addresses that are not employers.
        "duck.com", "hush.com", "icloud.com.cn", "mail2world.com", "mailinator.com", "privaterelay.appleid.com",
        "protonmail.me", "safe-mail.net", "startmail.com", "tuta.com", "yopmail.com", "10minutemail.com",
        "guerrillamail.com", "sharklasers.com", "trashmail.com", "maildrop.cc",
    ]
}
