import Testing

@testable import FulcrumImport

@Suite struct CSVHeaderTests {
    @Test func namesAreTrimmedAndLookedUpByName() throws {
        let (reader, records) = try readAll(" id ,\tName ,amount\n1,Ann,5\n")
        #expect(reader.header.names == ["id", "Name", "amount"])
        let amount = try reader.header.require("amount")
        #expect(amount == CSVColumn(index: 2, name: "amount"))
        #expect(records[0][amount] == "5")
        #expect(records[0].position(of: amount) == CSVPosition(line: 2, column: 7))
        #expect(reader.header.column(named: "name") == nil)
    }

    @Test func caseInsensitiveLookupOption() throws {
        let (reader, _) = try readAll("Id,Name\n", options(chunk: 1 << 20, caseInsensitive: true))
        #expect(reader.header.column(named: "NAME") == CSVColumn(index: 1, name: "Name"))
    }

    @Test func duplicateHeaderIsAnErrorNamingTheColumn() {
        let (_, error) = readUntilError("id,name,id\n1,2,3\n")
        #expect(
            error
                == CSVError(
                    code: .duplicateHeaderName, file: "<memory>", line: 1, column: 9,
                    message: "duplicate header name 'id' in field 3 (first in field 1)"))
    }

    @Test func duplicatesIgnoringCaseOnlyWhenLookupIgnoresCase() throws {
        let (_, error) = readUntilError("Id,id\n", options(chunk: 1 << 20, caseInsensitive: true))
        #expect(error?.message == "duplicate header name 'id' in field 2 (first in field 1)")
        let (reader, _) = try readAll("Id,id\n")
        #expect(reader.header.names == ["Id", "id"])
    }

    @Test func emptyHeaderNameIsAnError() {
        let (_, error) = readUntilError("id, ,x\n")
        #expect(error?.description == "<memory>:1:4: header field 2 is empty")
        #expect(error?.code == .emptyHeaderName)
    }

    @Test func missingRequiredColumn() throws {
        let (reader, _) = try readAll("\nid,name\n")
        let error = #expect(throws: CSVError.self) { try reader.header.require("amount") }
        #expect(error?.description == "<memory>:2:1: missing required column 'amount' (header has: id, name)")
    }

    @Test func valueErrorsArePositionedAtTheField() throws {
        let reader = try CSVReader(string: "id,flag\n1,\"yes\"\n2,maybe\n", name: "f.csv")
        let flag = try reader.header.require("flag")
        #expect(try reader.value(reader.next()!, flag, BoolParser.parse) == true)
        let record = try reader.next()!
        let error = #expect(throws: CSVError.self) { try reader.value(record, flag, BoolParser.parse) }
        #expect(
            error?.description
                == "f.csv:3:3: column 'flag': not a boolean: 'maybe' (expected true/false, yes/no or 1/0)")
        #expect(error?.code == .invalidValue)
    }
}
