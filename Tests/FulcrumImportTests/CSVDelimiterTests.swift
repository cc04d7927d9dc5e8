import Testing

@testable import FulcrumImport

@Suite struct CSVDelimiterTests {
    @Test(arguments: chunkSizes) func europeanSemicolonFile(chunk: Int) throws {
        let text = "Datum;Betrag;Kunde\r\n15.01.2024;\"1.234,56\";Müller\r\n31.12.2023;-7,5;\"Weiß; GmbH\"\r\n"
        let (reader, records) = try readAll(text, options(chunk: chunk))
        #expect(reader.delimiter == .semicolon)
        #expect(
            records.map(\.fields) == [["15.01.2024", "1.234,56", "Müller"], ["31.12.2023", "-7,5", "Weiß; GmbH"]])
        let datum = try reader.header.require("Datum")
        let betrag = try reader.header.require("Betrag")
        let eur = AmountOptions(exponent: 2, decimalSeparator: .comma)
        #expect(try reader.value(records[0], datum) { DateParser.days($0) } == 19737)
        #expect(try reader.value(records[0], betrag) { AmountParser.minorUnits($0, options: eur) } == 123_456)
        #expect(try reader.value(records[1], betrag) { AmountParser.minorUnits($0, options: eur) } == -750)
        #expect(try reader.value(records[1], datum) { DateParser.days($0) } == 19722)
    }

    @Test(arguments: chunkSizes) func tabFile(chunk: Int) throws {
        let (reader, records) = try readAll("name\tamount\tnote\nA\t1,5\t\"x\ty\"\nB\t2\t\n", options(chunk: chunk))
        #expect(reader.delimiter == .tab)
        #expect(records.map(\.fields) == [["A", "1,5", "x\ty"], ["B", "2", ""]])
    }

    @Test func pipeFile() throws {
        let (reader, records) = try readAll("a|b\n1|2\n")
        #expect(reader.delimiter == .pipe)
        #expect(records[0].fields == ["1", "2"])
    }

    @Test func detectionIgnoresDelimitersInsideQuotes() throws {
        let (reader, records) = try readAll("\"a,b,c\";d\n1;2\n")
        #expect(reader.delimiter == .semicolon)
        #expect(reader.header.names == ["a,b,c", "d"])
        #expect(records[0].fields == ["1", "2"])
    }

    @Test func singleColumnFileDefaultsToComma() throws {
        let (reader, _) = try readAll("name\nx\n")
        #expect(reader.delimiter == .comma)
    }

    @Test func delimiterOverride() throws {
        let (reader, records) = try readAll("a;b,c\n1;2,3\n", options(chunk: 1 << 20, delimiter: .comma))
        #expect(reader.header.names == ["a;b", "c"])
        #expect(records[0].fields == ["1;2", "3"])
    }

    @Test func tieGoesToComma() throws {
        let (reader, _) = try readAll("a,b;c\n")
        #expect(reader.delimiter == .comma)
    }
}
