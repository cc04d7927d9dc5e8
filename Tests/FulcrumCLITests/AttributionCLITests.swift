import Foundation
import Testing

@Suite("fulcrum attribution: journeys from CSV files, streamed")
struct AttributionCLITests {
    static func folder() throws -> String { try scratchFolder() }

    // The hand-worked journeys of docs/attribution.md (and AttributionTests), touches out of seq order in J4.
    static let touches = """
        journey_id,seq,channel,occurred_at
        J1,1,A,2024-03-01
        J1,2,B,2024-03-08
        J2,1,A,2024-03-02
        J4,3,B,2024-03-29
        J4,1,C,2024-03-15
        J4,2,A,2024-03-22

        """
    static let journeys = """
        journey_id,converted,value
        J1,1,100
        J2,0,0
        J3,1,50
        J4,1,30

        """

    @Test("CSV output model,channel,conversions,value; every model sums to the attributed total")
    func csv() throws {
        let dir = try Self.folder()
        try Data(Self.touches.utf8).write(to: URL(fileURLWithPath: dir + "/t.csv"))
        try Data(Self.journeys.utf8).write(to: URL(fileURLWithPath: dir + "/j.csv"))
        let result = try CLI.run([
            "attribution", "--touches", dir + "/t.csv", "--journeys", dir + "/j.csv", "--format", "csv",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "model,channel,conversions,value")
        func value(_ model: String, _ channel: String) -> Double? {
            lines.first { $0.hasPrefix("\(model),\(channel),") }.flatMap { Double($0.split(separator: ",")[3]) }
        }
        #expect(value("first", "A") == 100)
        #expect(value("last", "B") == 130, "J3 has no touches in the file: not attributable")
        #expect(value("position", "C") == 12)
        #expect(result.stderr.contains("1 journeys, converted value 50"))
        // J3 (no touches) is left out: the attributed total is 130, and each model's credits sum to it.
        for model in ["first", "last", "linear", "position", "time-decay", "markov"] {
            let sum = lines.filter { $0.hasPrefix(model + ",") }.compactMap { Double($0.split(separator: ",")[3]) }
                .reduce(0, +)
            #expect(abs(sum - 130) < 1e-4, "\(model): \(sum)")
        }
    }

    @Test("files in different journey orders, a bad flag, or time-decay without times: an error naming the place")
    func errors() throws {
        let dir = try Self.folder()
        try Data(Self.touches.utf8).write(to: URL(fileURLWithPath: dir + "/t.csv"))
        try Data("journey_id,converted,value\nJ4,1,30\nJ1,1,100\n".utf8).write(to: URL(fileURLWithPath: dir + "/j.csv"))
        let order = try CLI.run(["attribution", "--touches", dir + "/t.csv", "--journeys", dir + "/j.csv"])
        #expect(order.status == 1)
        #expect(order.stderr.contains("t.csv:"), "\(order.stderr)")
        #expect(order.stderr.contains("same journey order"))
        try Data("journey_id,converted,value\nJ1,yes,100\n".utf8).write(to: URL(fileURLWithPath: dir + "/j2.csv"))
        let flag = try CLI.run(["attribution", "--touches", dir + "/t.csv", "--journeys", dir + "/j2.csv"])
        #expect(flag.status == 1)
        #expect(flag.stderr.contains("j2.csv:2:2: converted: converted must be 1 or 0"), "\(flag.stderr)")
        try Data("journey_id,seq,channel\nJ1,1,A\n".utf8).write(to: URL(fileURLWithPath: dir + "/t2.csv"))
        try Data("journey_id,converted,value\nJ1,1,100\n".utf8).write(to: URL(fileURLWithPath: dir + "/j3.csv"))
        let decay = try CLI.run([
            "attribution", "--touches", dir + "/t2.csv", "--journeys", dir + "/j3.csv", "--model", "time-decay",
        ])
        #expect(decay.status == 64)
        #expect(decay.stderr.contains("occurred_at"))
    }
}
