import Testing

@testable import FulcrumCore

@Suite("Identity: domains, free-mail list, company names")
struct IdentityNormalizationTests {
    @Test(
        "email domains are lowercased, trimmed, taken after the last @",
        arguments: [
            ("jo@acme.com", "acme.com"), ("  Jo.Smith@ACME.COM ", "acme.com"),
            ("Jo <jo@Mail.Acme.com>", "mail.acme.com"),
            ("\"a@b\"@acme.co.uk", "acme.co.uk"), ("jo@acme.com.", "acme.com"),
        ])
    func emailDomains(email: String, domain: String) {
        #expect(DomainName.fromEmail(email) == domain)
    }

    @Test(
        "text that is not an address gives no domain",
        arguments: [
            "", "jo", "jo@", "@acme.com", "jo@localhost", "jo@acme..com", "jo@-acme.com", "jo@1.2.3.4", "jo@ac me.com",
        ])
    func notEmails(email: String) {
        #expect(DomainName.fromEmail(email) == nil)
    }

    @Test(
        "websites lose scheme, www, port, path, query and fragment",
        arguments: [
            ("https://www.acme.com/about", "acme.com"), ("HTTP://WWW.ACME.COM", "acme.com"), ("acme.com", "acme.com"),
            ("www2.acme.io:8443/x?y=1#z", "acme.io"), ("//cdn.acme.com/a.js", "cdn.acme.com"),
            ("https://user:pw@acme.de", "acme.de"),
            (" shop.acme.co.uk/ ", "shop.acme.co.uk"), ("www.com", "www.com"), ("jo@acme.com", "acme.com"),
        ])
    func websites(website: String, domain: String) {
        #expect(DomainName.fromWebsite(website) == domain)
    }

    @Test("registrable domains respect two-label public suffixes")
    func registrable() {
        #expect(DomainName.registrable("mail.acme.com") == "acme.com")
        #expect(DomainName.registrable("shop.acme.co.uk") == "acme.co.uk")
        #expect(DomainName.registrable("acme.co.uk") == "acme.co.uk")
        #expect(DomainName.registrable("acme.com") == "acme.com")
        #expect(DomainName.lookupChain("a.mail.acme.com") == ["a.mail.acme.com", "mail.acme.com", "acme.com"])
        #expect(DomainName.lookupChain("eu.acme.co.jp") == ["eu.acme.co.jp", "acme.co.jp"])
    }

    @Test("free-mail list: the brief's providers, country variants and subdomains; company domains are not free-mail")
    func freeMail() {
        for domain in [
            "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.jp", "yahoo.fr", "hotmail.com", "hotmail.co.uk",
            "outlook.com", "live.com", "msn.com", "aol.com", "icloud.com", "me.com", "mac.com", "proton.me",
            "protonmail.com", "gmx.de", "gmx.ch", "web.de", "mail.ru", "yandex.ru", "yandex.kz", "qq.com",
            "163.com", "comcast.net", "verizon.net", "att.net", "orange.fr", "free.fr", "btinternet.com",
            "t-online.de", "GMAIL.COM", "mx.gmail.com",
        ] {
            #expect(FreeMailDomains.contains(domain), "\(domain)")
        }
        for domain in [
            "acme.com", "gmail-partners.com", "olive.com", "freemail.example.com", "acme.co.uk", "deliveroo.co.uk",
        ] {
            #expect(!FreeMailDomains.contains(domain), "\(domain)")
        }
    }

    @Test("free-mail list is maintained clean: a few hundred hosts, lower case, no duplicates")
    func freeMailListHygiene() {
        let listed = FreeMailDomains.listed
        #expect(listed.count >= 250)
        #expect(
            Set(listed).count == listed.count,
            "duplicates: \(Dictionary(grouping: listed, by: { $0 }).filter { $1.count > 1 }.keys.sorted())")
        for domain in listed {
            #expect(DomainName.validHost(domain) == domain && domain.lowercased() == domain, "\(domain)")
        }
        // Every domain the demo gives free-mail leads is on the list.
        for domain in DemoNames.freeMailDomains { #expect(FreeMailDomains.contains(domain), "\(domain)") }
    }

    @Test(
        "company names: case, punctuation, legal suffixes and a leading The",
        arguments: [
            ("Acme, Inc.", "acme"), ("ACME Inc", "acme"), ("acme inc.", "acme"), ("  Acme  ", "acme"),
            ("The Acme Company", "acme"),
            ("Acme Corp.", "acme"), ("Acme Corporation", "acme"), ("Acme Co. Ltd", "acme"), ("Acme Pty Ltd", "acme"),
            ("ACME GmbH", "acme"), ("Acme S.A.", "acme"), ("Acme SAS", "acme"), ("Acme B.V.", "acme"),
            ("Acme N.V.", "acme"),
            ("Acme PLC", "acme"), ("Acme Oy", "acme"), ("Acme AB", "acme"), ("Acme K.K.", "acme"),
            ("Acme, L.L.C.", "acme"),
            ("Acme Limited", "acme"), ("Acme Incorporated", "acme"), ("Acme AG", "acme"), ("Acme & Co.", "acme"),
            ("Smith & Sons", "smithandsons"), ("Smith and Sons, LLC", "smithandsons"),
            ("Société Générale S.A.", "societegenerale"),
            ("Müller GmbH", "muller"), ("MÜLLER GMBH", "muller"), ("ÉCOLE Øresund Sp. z o.o.", "ecoleoresund"),
            ("Straße AG", "strasse"),
            ("Acme\u{00A0}Labs–Europe", "acmelabseurope"), ("株式会社 Sony", "株式会社sony"),
            ("O'Neil Partners", "oneilpartners"), ("CopperAnalytics Telecom, Ltd", "copperanalyticstelecom"),
            ("Copper Analytics Telecom", "copperanalyticstelecom"), ("The", "the"), ("Limited", "limited"),
            ("Inc.", "inc"),
            ("The Company", "company"), ("Acme Europe", "acmeeurope"), ("Acme Holdings", "acmeholdings"), ("", ""),
            ("!!!", ""),
        ])
    func companyNames(raw: String, key: String) {
        #expect(CompanyName(raw).key == key)
    }

    @Test("decomposed diacritics (combining marks) fold like precomposed ones")
    func combiningMarks() {
        #expect(CompanyName("Cafe\u{0301} Noir").key == CompanyName("Café Noir").key)
        #expect(CompanyName("Café Noir").display == "cafe noir")
    }

    @Test("Jaro-Winkler and Levenshtein agree with textbook values")
    func stringMeasures() {
        func s(_ t: String) -> [Unicode.Scalar] { Array(t.unicodeScalars) }
        #expect(abs(NameSimilarity.jaro(s("martha"), s("marhta")) - 0.944) < 0.001)
        #expect(abs(NameSimilarity.jaroWinkler(s("martha"), s("marhta")) - 0.961) < 0.001)
        #expect(abs(NameSimilarity.jaroWinkler(s("dixon"), s("dicksonx")) - 0.813) < 0.001)
        #expect(NameSimilarity.levenshtein(s("kitten"), s("sitting")) == 3)
        #expect(NameSimilarity.jaro(s("abc"), s("xyz")) == 0)
    }

    @Test("name similarity: typos and run-together words score high, an extra distinctive word does not")
    func similarity() {
        func sim(_ a: String, _ b: String) -> Double { NameSimilarity.score(CompanyName(a), CompanyName(b)) }
        #expect(sim("Acme, Inc.", "ACME") == 1)
        #expect(sim("CopperAnalytics Telecom Global", "Copper Analytics Telecom Globl") > 0.95)
        #expect(sim("Acme Labs Software", "Software Acme Labs") == 1)
        #expect(sim("Acme Europe", "Acme Asia") < 0.7)
        // A typo'd word counts as paired, not as an extra qualifier.
        let typo = sim("Copperanalytics Software", "Copperaxalytics Software")
        #expect(typo > 0.95)
        // One extra word: its 6 letters join the total (46 → 52 characters) and the score is × 0.9.
        #expect(abs(sim("Copperanalytics Software", "Copperaxalytics Software Global") - typo * 46 / 52 * 0.9) < 1e-9)
        #expect(sim("Acme", "Acme Labs") < 0.7)
        #expect(sim("Northwind Traders", "Contoso Pharma") < 0.3)
    }
}

@Suite("Guards against pathological and hostile values")
struct ValueGuardTests {
    @Test("CSV cells: = + - @ tab and CR are neutralized, plain numbers (negative amounts) are not")
    func formulaGuard() {
        #expect(CSVText.cell("=SUM(A1)") == "'=SUM(A1)")
        #expect(CSVText.cell("@cmd") == "'@cmd")
        #expect(CSVText.cell("\tcmd") == "'\tcmd")
        #expect(CSVText.cell("\rcmd") == "\"'\rcmd\"")
        #expect(CSVText.cell("-2+3+cmd|' /C calc'!A0") == "'-2+3+cmd|' /C calc'!A0")
        #expect(CSVText.cell("+1 555 0100") == "'+1 555 0100")
        #expect(CSVText.cell("-12.50") == "-12.50")
        #expect(CSVText.cell("-3") == "-3")
        #expect(CSVText.cell("+1e-3") == "+1e-3")
        #expect(CSVText.cell("-") == "'-")
        #expect(CSVText.cell("Acme") == "Acme")
    }

    @Test("a company name is normalized from its first 256 characters, however long it is")
    func boundedName() {
        let huge = String(repeating: "Acme", count: 250_000)
        let name = CompanyName(huge)
        #expect(name.key.count == CompanyName.comparedLength)
        #expect(CompanyName(huge + " Inc") == name)
        #expect(NameSimilarity.score(name, CompanyName(huge + "x")) == 1)
        #expect(DomainName.fromWebsite(String(repeating: "a", count: 300) + ".com") == nil)
        #expect(DomainName.fromWebsite("acme.com") == "acme.com")
    }
}
