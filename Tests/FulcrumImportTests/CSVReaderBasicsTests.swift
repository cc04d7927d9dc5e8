import Testing

@testable import FulcrumImport

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct CSVReaderBasicsTests {
    @Test(arguments: chunkSizes) func simpleRecordsWithLinesAndOffsets(chunk: Int) throws {
        let (reader, records) = try readAll("a,b,c\n1,2,3\n4,5,6", options(chunk: chunk))
        #expect(reader.header.names == ["a", "b", "c"])
        #expect(reader.delimiter == .comma)
        #expect(records.map(\.fields) == [["1", "2", "3"], ["4", "5", "6"]])
        #expect(records.map(\.line) == [2, 3])
        #expect(records.map(\.byteOffset) == [6, 12])
        #expect(
            records[1].fieldPositions == [
                CSVPosition(line: 3, column: 1), CSVPosition(line: 3, column: 3), CSVPosition(line: 3, column: 5),
            ])
    }

    @Test(arguments: chunkSizes) func crlfAndTrailingNewline(chunk: Int) throws {
        let (_, records) = try readAll("a,b\r\n1,2\r\n3,4\r\n", options(chunk: chunk))
        #expect(records.map(\.fields) == [["1", "2"], ["3", "4"]])
        #expect(records.map(\.line) == [2, 3])
    }

    @Test(arguments: chunkSizes) func loneCRLineEndings(chunk: Int) throws {
        let (_, records) = try readAll("a,b\r1,2\r3,4", options(chunk: chunk))
        #expect(records.map(\.fields) == [["1", "2"], ["3", "4"]])
        #expect(records.map(\.line) == [2, 3])
    }

    @Test(arguments: chunkSizes) func quotedFieldsWithDelimitersAndDoubledQuotes(chunk: Int) throws {
        let (_, records) = try readAll("a,b,c\n\"x, \"\"y\"\"\",\"\",z\n\"\"\"\",2,\"3\"", options(chunk: chunk))
        #expect(records.map(\.fields) == [["x, \"y\"", "", "z"], ["\"", "2", "3"]])
    }

    @Test(arguments: chunkSizes) func trailingDelimiterMeansEmptyLastField(chunk: Int) throws {
        let (_, records) = try readAll("a,b\n1,\n,\n", options(chunk: chunk))
        #expect(records.map(\.fields) == [["1", ""], ["", ""]])
    }

    @Test(arguments: chunkSizes) func emptyLinesAreSkippedButKeepLineNumbers(chunk: Int) throws {
        let (reader, records) = try readAll("\n\r\na,b\n\n1,2\r\n\r\n3,4\n\n\n", options(chunk: chunk))
        #expect(reader.header.line == 3)
        #expect(records.map(\.fields) == [["1", "2"], ["3", "4"]])
        #expect(records.map(\.line) == [5, 7])
    }

    @Test func whitespaceOnlyLineIsARecordNotSkipped() {
        let (_, error) = readUntilError("a,b\n  \n")
        #expect(error?.code == .raggedRow)
        #expect(error?.line == 2)
    }

    @Test(arguments: chunkSizes) func utf8BOMIsStripped(chunk: Int) throws {
        let (reader, records) = try readAll(
            [0xEF, 0xBB, 0xBF] + Array("name,amount\nZoë,1\n".utf8), options(chunk: chunk))
        #expect(reader.header.names == ["name", "amount"])
        #expect(reader.header.column(named: "name")?.index == 0)
        #expect(records.map(\.fields) == [["Zoë", "1"]])
        #expect(records[0].byteOffset == 15)
        #expect(records[0].fieldPositions[1] == CSVPosition(line: 2, column: 6))
    }

    @Test func headerOnlyFileHasNoRecords() throws {
        let (reader, records) = try readAll("a,b\n")
        #expect(reader.header.names == ["a", "b"])
        #expect(records.isEmpty)
        #expect(try reader.next() == nil)
    }

    @Test func emptyOrBOMOnlyFileIsMissingHeader() {
        for bytes: [UInt8] in [[], [0xEF, 0xBB, 0xBF], Array("\n\r\n".utf8)] {
            let (_, error) = readUntilError(bytes)
            #expect(error?.code == .missingHeader)
            #expect(error?.message == "empty file: expected a header row")
        }
    }

    @Test(arguments: chunkSizes) func memoryAndFileReadsAgree(chunk: Int) throws {
        var text = "id,note,amount\r\n"
        for i in 0..<300 {
            text += i % 3 == 0 ? "\(i),\"multi\r\nline, \"\"quoted\"\"\",\(i).5\r\n" : "\(i),plain é,\(i)\n"
        }
        let path = "/tmp/fulcrum-csv-test-\(chunk)-\(getpid()).csv"
        try text.write(toFile: path)
        defer { unlink(path) }
        let fromFile = try CSVReader(path: path, options: options(chunk: chunk))
        var fileRecords: [CSVRecord] = []
        while let r = try fromFile.next() { fileRecords.append(r) }
        let (_, memoryRecords) = try readAll(text)
        #expect(fileRecords == memoryRecords)
        #expect(fileRecords.count == 300)
        #expect(fileRecords[1].line == 4)
        #expect(fileRecords[299].fields == ["299", "plain é", "299"])
    }

    @Test func missingFileIsAnIOError() {
        #expect(throws: CSVError.self) { try CSVReader(path: "/nonexistent/x.csv") }
    }
}
