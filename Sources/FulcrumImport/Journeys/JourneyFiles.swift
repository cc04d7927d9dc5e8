/// Journeys exported from elsewhere (a web-analytics tool), read as a stream for attribution:
/// `touches.csv` with `journey_id,seq,channel` (and optionally `occurred_at`) and `journeys.csv` with
/// `journey_id,converted,value` (and optionally `converted_at`). Both files list journeys in the same order,
/// each journey's touches together (in any `seq` order). The two are merged in one pass, so memory holds one
/// journey and the channel names, never the whole file: millions of journeys stream through.
public final class JourneyFiles {
    /// One journey as the files give it.
    public struct Journey {
        /// Channel indexes (into `channels`) in `seq` order; consecutive repeats kept.
        public var path: [Int] = []
        /// Days from each touch to the conversion (or to the journey's last touch), when times are given.
        public var ages: [Double] = []
        public var converted = false
        public var value = 0.0
        public init() {}
    }

    /// Channel names in order of first appearance; `Journey.path` indexes this.
    public private(set) var channels: [String] = []
    /// Whether the touches carry `occurred_at` (what time-decay needs).
    public let hasTimes: Bool
    /// Journeys listed without any touch (not attributable), and their converted value.
    public private(set) var journeysWithoutTouches = 0
    public private(set) var valueWithoutTouches = 0.0

    private let touches: CSVReader
    private let journeys: CSVReader
    private let touchJourney: Int
    private let touchSeq: Int
    private let touchChannel: Int
    private let touchTime: Int?
    private let journeyId: Int
    private let journeyConverted: Int
    private let journeyValue: Int
    private let journeyTime: Int?
    private var pendingTouch = false
    private var table = ChannelTable()
    private var buffer: [(seq: Int, channel: Int, time: Double)] = []

    public init(touchesPath: String, journeysPath: String) throws(CSVError) {
        touches = try CSVReader(path: touchesPath)
        journeys = try CSVReader(path: journeysPath)
        touchJourney = try touches.header.require("journey_id").index
        touchSeq = try touches.header.require("seq").index
        touchChannel = try touches.header.require("channel").index
        touchTime = touches.header.column(named: "occurred_at")?.index
        journeyId = try journeys.header.require("journey_id").index
        journeyConverted = try journeys.header.require("converted").index
        journeyValue = try journeys.header.require("value").index
        journeyTime = journeys.header.column(named: "converted_at")?.index
        hasTimes = touchTime != nil
        pendingTouch = try touches.nextRaw()
    }

    /// The next journey with at least one touch (journeys without touches are counted and skipped), or nil
    /// at the end. Errors name the file, line and column: a malformed value, or files whose journeys are not
    /// in the same order.
    public func next(into journey: inout Journey) throws(CSVError) -> Bool {
        while try journeys.nextRaw() {
            try checkShape(journeys, fields: journeys.header.names.count)
            let id = Array(journeys.rawField(journeyId))
            let converted = try flag(journeys, journeyConverted)
            let value = try number(journeys, journeyValue, name: "value")
            let convertedAt = try journeyTime.map { c throws(CSVError) in
                try time(journeys, c, name: "converted_at")
            }
            buffer.removeAll(keepingCapacity: true)
            while pendingTouch {
                try checkShape(touches, fields: touches.header.names.count)
                let field = touches.rawField(touchJourney)
                guard field.elementsEqual(id) else { break }
                guard let seq = Self.integer(touches.rawField(touchSeq)) else {
                    throw touches.valueError(
                        "seq must be a whole number", line: touches.rawLine, column: touchSeq)
                }
                let channel = table.index(of: touches.rawField(touchChannel), names: &channels)
                let at = try touchTime.map { c throws(CSVError) in try time(touches, c, name: "occurred_at") } ?? 0
                buffer.append((seq, channel, at))
                pendingTouch = try touches.nextRaw()
            }
            if buffer.isEmpty {
                // A journey without touches: fine unless the touches file has moved on to a journey that is
                // not next here, which means the files are not in the same order.
                journeysWithoutTouches += 1
                if converted { valueWithoutTouches += value }
                continue
            }
            if buffer.count > 1, !zip(buffer, buffer.dropFirst()).allSatisfy({ $0.seq <= $1.seq }) {
                buffer.sort { $0.seq < $1.seq }
            }
            journey.path.removeAll(keepingCapacity: true)
            journey.ages.removeAll(keepingCapacity: true)
            for t in buffer { journey.path.append(t.channel) }
            if hasTimes {
                let end = convertedAt ?? buffer.map(\.time).max() ?? 0
                for t in buffer { journey.ages.append(max(0, end - t.time)) }
            }
            journey.converted = converted
            journey.value = converted ? value : 0
            return true
        }
        if pendingTouch {
            let id = String(decoding: touches.rawField(touchJourney), as: UTF8.self)
            throw touches.valueError(
                "journey '\(id)' has touches but no row in \(journeys.fileName) at this point: list both files in the same journey order, each journey's touches together",
                line: touches.rawLine, column: touchJourney)
        }
        return false
    }

    // MARK: fields

    private func checkShape(_ reader: CSVReader, fields: Int) throws(CSVError) {
        if reader.rawFieldCount != fields || !reader.rawFieldsAreValidUTF8() { _ = try reader.buildCurrent() }
    }

    private func flag(_ reader: CSVReader, _ column: Int) throws(CSVError) -> Bool {
        let f = reader.rawField(column)
        if f.count == 1, f[0] == UInt8(ascii: "1") { return true }
        if f.count == 1, f[0] == UInt8(ascii: "0") { return false }
        throw reader.valueError("converted must be 1 or 0", line: reader.rawLine, column: column)
    }

    private func number(_ reader: CSVReader, _ column: Int, name: String) throws(CSVError) -> Double {
        let f = reader.rawField(column)
        if f.isEmpty { return 0 }
        guard let v = Double(String(decoding: f, as: UTF8.self)), v.isFinite else {
            throw reader.valueError("\(name) must be a number", line: reader.rawLine, column: column)
        }
        return v
    }

    /// Days since 1970-01-01 (fractional) of `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM[:SS]` (UTC).
    private func time(_ reader: CSVReader, _ column: Int, name: String) throws(CSVError) -> Double {
        guard let t = Self.days(reader.rawField(column)) else {
            throw reader.valueError(
                "\(name) must be a date or time as YYYY-MM-DD[THH:MM[:SS]]", line: reader.rawLine, column: column)
        }
        return t
    }

    static func integer(_ f: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !f.isEmpty, f.count <= 18 else { return nil }
        var v = 0
        var negative = false
        for (i, b) in f.enumerated() {
            if i == 0, b == UInt8(ascii: "-") {
                negative = true
                continue
            }
            guard b >= 48, b <= 57 else { return nil }
            v = v * 10 + Int(b - 48)
        }
        return negative ? -v : v
    }

    static func days(_ f: UnsafeBufferPointer<UInt8>) -> Double? {
        func digits(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= f.count else { return nil }
            var v = 0
            for i in from..<(from + count) {
                let b = f[i]
                guard b >= 48, b <= 57 else { return nil }
                v = v * 10 + Int(b - 48)
            }
            return v
        }
        guard f.count >= 10, f[4] == UInt8(ascii: "-"), f[7] == UInt8(ascii: "-"), let y = digits(0, 4),
            let m = digits(5, 2), let d = digits(8, 2), (1...12).contains(m), (1...31).contains(d)
        else { return nil }
        // Days from civil (Howard Hinnant's algorithm).
        let yy = m <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        var days = Double(era * 146097 + doe - 719468)
        if f.count >= 16, f[10] == UInt8(ascii: "T") || f[10] == UInt8(ascii: " "), let h = digits(11, 2),
            let mi = digits(14, 2)
        {
            let s = f.count >= 19 ? (digits(17, 2) ?? 0) : 0
            days += Double(h * 3600 + mi * 60 + s) / 86400
        }
        return days
    }
}

extension CSVReader {
    /// A value error at a raw record's line and 0-based column index.
    func valueError(_ reason: String, line: Int, column index: Int) -> CSVError {
        CSVError(
            code: .invalidValue, file: fileName, line: line, column: index + 1,
            message: "\(header.names.indices.contains(index) ? header.names[index] : "field \(index + 1)"): \(reason)")
    }
}

/// Channel names to indexes without making a String per touch: an open-addressing table over the bytes.
struct ChannelTable {
    private var slots: [Int32] = Array(repeating: -1, count: 1024)
    private var hashes: [UInt64] = []
    private var bytes: [[UInt8]] = []

    mutating func index(of field: UnsafeBufferPointer<UInt8>, names: inout [String]) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in field {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        var slot = Int(h & UInt64(slots.count - 1))
        while true {
            let i = Int(slots[slot])
            if i < 0 { break }
            if hashes[i] == h, bytes[i].elementsEqual(field) { return i }
            slot = (slot + 1) & (slots.count - 1)
        }
        let i = bytes.count
        bytes.append(Array(field))
        hashes.append(h)
        names.append(String(decoding: field, as: UTF8.self))
        slots[slot] = Int32(i)
        if bytes.count * 2 > slots.count { grow() }
        return i
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        for (i, h) in hashes.enumerated() {
            var slot = Int(h & UInt64(slots.count - 1))
            while slots[slot] >= 0 { slot = (slot + 1) & (slots.count - 1) }
            slots[slot] = Int32(i)
        }
    }
}
