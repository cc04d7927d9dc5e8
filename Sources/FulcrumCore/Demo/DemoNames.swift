/// Word lists for company and person names. Company names are built from the
/// account index by a mixed-radix code so they never collide by accident; the
/// only lookalike accounts are the duplicates the generator plants on purpose.
enum DemoNames {
    static let first = [
        "Acme", "Apex", "Arbor", "Atlas", "Aurora", "Beacon", "Birch", "Blue", "Bright", "Cedar", "Cinder", "Clear",
        "Cobalt", "Copper", "Coral", "Crest", "Delta", "Echo", "Ember", "Evergreen", "Falcon", "Fern", "Flint", "Forge",
        "Granite", "Harbor", "Helix", "Horizon", "Indigo", "Iron", "Juniper", "Keystone", "Lumen", "Maple", "Meridian",
        "Nimbus", "Noble", "North", "Nova", "Oak", "Onyx", "Orbit", "Pine", "Pioneer", "Prism", "Quartz", "Quill",
        "Radiant", "Raven", "Ridge", "River", "Sable", "Sage", "Sierra", "Silver", "Slate", "Solar", "Spruce", "Summit",
        "Tidal", "Timber", "True", "Vector", "Vertex", "Willow", "Zenith",
    ]
    static let second = [
        "Analytics", "Bridge", "Cloud", "Dynamics", "Edge", "Field", "Flow", "Grid", "Hub", "Labs", "Line", "Link",
        "Logic", "Mark", "Metrics", "Mind", "Nest", "Path", "Peak", "Point", "Pulse", "Scale", "Shift", "Signal",
        "Sphere", "Spring", "Stack", "Stone", "Stream", "Sync", "Systems", "Ware", "Wave", "Works", "Yard", "Bay",
        "Base", "Core", "Gate", "Port",
    ]
    static let segmentWords: [String: [String]] = [
        "Tech": ["Software", "Technologies", "Digital", "Data", "AI", "Cyber", "Apps", "Devices", "Platforms", "Code"],
        "Telecom": [
            "Telecom", "Networks", "Communications", "Wireless", "Mobile", "Broadband", "Fiber", "Connect", "Cellular",
            "Telco",
        ],
        "Consulting": [
            "Consulting", "Partners", "Advisory", "Associates", "Group", "Strategy", "Solutions", "Services",
            "Advisors", "Management",
        ],
    ]
    static let places = [
        "", "Global", "International", "America", "Europe", "Pacific", "Northern", "Central", "United", "First",
        "Southern", "Western", "Eastern", "Atlantic", "Nordic", "Alpine", "Coastal", "Metro", "Prime", "Union",
    ]
    static let legal = ["Inc.", "LLC", "Ltd", "GmbH", "Corp.", "S.A.", "Co.", "PLC"]
    static let tlds = [".com", ".com", ".com", ".io", ".net", ".co", ".co.uk", ".de"]
    static let givenNames = [
        "Alex", "Amara", "Ana", "Ben", "Carla", "Chen", "Dana", "David", "Elena", "Emma", "Farid", "Grace", "Hana",
        "Ivan", "Jack", "Jia", "Julia", "Kai", "Kofi", "Laura", "Leo", "Lina", "Luis", "Maya", "Mei", "Nina", "Noah",
        "Olga", "Omar", "Paul", "Priya", "Rafael", "Rosa", "Sam", "Sara", "Sofia", "Tom", "Uma", "Victor", "Yuki",
    ]
    static let familyNames = [
        "Adams", "Bauer", "Chen", "Costa", "Dubois", "Evans", "Fischer", "Garcia", "Gupta", "Hansen", "Ito", "Jones",
        "Kim", "Kowalski", "Lee", "Lopez", "Martin", "Meyer", "Moreau", "Nakamura", "Nguyen", "Novak", "Okafor",
        "Patel", "Petrov", "Rossi", "Santos", "Schmidt", "Silva", "Smith", "Tanaka", "Taylor", "Weber", "Wilson",
        "Yilmaz", "Zhang",
    ]
    static let titles = [
        "VP Marketing", "Marketing Manager", "Head of Operations", "CTO", "Engineering Manager", "RevOps Analyst",
        "Director of Sales", "CFO", "Product Manager", "IT Director", "CEO", "Data Analyst",
    ]
    /// Free-mail and ISP domains: leads from them are never tied to an account by domain.
    public static let freeMailDomains = [
        "gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "aol.com", "icloud.com", "gmx.de", "web.de",
        "comcast.net", "proton.me",
    ]

    /// A unique company name for an account index: the index is scrambled by a
    /// multiplier coprime to the code space, then read as mixed-radix digits.
    static func companyName(index: Int, segment: String) -> (name: String, words: [String]) {
        let words = segmentWords[segment] ?? segmentWords["Tech"]!
        let space = first.count * second.count * words.count * places.count
        let code = (index &* 7_919 + 13) % space
        var rest = code
        let a = first[rest % first.count]
        rest /= first.count
        let b = second[rest % second.count]
        rest /= second.count
        let c = words[rest % words.count]
        rest /= words.count
        let d = places[rest % places.count]
        let parts = [a + b, c] + (d.isEmpty ? [] : [d])
        return (parts.joined(separator: " "), parts)
    }
}
