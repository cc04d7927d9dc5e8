import Foundation
import FulcrumCore
import Testing

@testable import FulcrumStore

/// Canonical CSV rows are bound straight from the file's bytes when their cells are in canonical form and go
/// through the general path otherwise; both must store the same values and report the same problems.
@Suite("Import: fast path of canonical CSV files")
struct FastImportTests {
    static let files: [(String, String)] = [
        ("teams.csv", "id,name,function\nT1,Growth,marketing\n"),
        ("reps.csv", "id,name,team_id,role,hired_on\nR1,Ann,T1,AE,2023-01-02\nR2,Bob,T1,AE,\n"),
        (
            "accounts.csv",
            """
            id,external_id,name,domain,created_on,employees,owner_rep_id,parent_account_id,source
            A1,,"Acme ""Quoted"" Inc",acme.com,2024-01-15,12,R1,,elsewhere
            A2,,  Spaced  ,,01/15/2024, 7 ,R2,A4,
            ,A3,'=Formula,x.com,2024-02-29,-0,,A1,
            A4,,Müller GmbH,m.de,"Jan 5, 2024",+5,R1,,
            A5,,"multi
            line",y.com,2024-03-01T10:00:00Z,0,,,

            """
        ),
        (
            "people.csv",
            """
            id,account_id,email,created_at,mql_at,status
            P1,A1,a@acme.com,2024-01-15T10:00:00Z,,open
            P2,A2,b@x.com,2024-01-15 10:00,2024-01-16T09:00:00+02:00,open
            P3,A3,c@x.com,2024-01-15,,open
            P4,A4,d@x.com,2024-01-15T23:59:59Z,,open

            """
        ),
        (
            "touches.csv",
            """
            id,account_id,person_id,kind,channel,occurred_at
            X1,A1,P1,visit,Organic,2024-02-01T10:00:00Z
            X2,A1,P1,visit,Organic,2024-02-01T10:00:00Z
            X4,A2,P2,email_open,Email,2024-02-02T10:00:00Z
            X3,,P4,form_fill,Paid,2024-02-03T10:00:00Z

            """
        ),
        (
            "subscriptions.csv",
            """
            id,account_id,plan,product,interval,amount_minor,currency,status,started_on
            S1,A1,Pro,Core,month,1000,USD,active,2024-01-01
            S2,A2,Pro,Core,month,2000,USD,active,2024-01-01
            S3,A4,Pro,Core,month,3000,EUR,active,2024-01-01

            """
        ),
    ]

    static let bad: [(String, String)] = [
        (
            "accounts.csv",
            """
            id,name,created_on,employees,owner_rep_id
            B1,Ok,2024-01-15,1,
            B2,,2024-01-15,1,
            B3,Bad date,2024-02-30,1,
            B4,Bad int,2024-01-15,12.5,
            B5,Bad ref,2024-01-15,1,R9
            B6,Ragged,2024-01-15
            B7,Bad utf8,2024-01-15,1,
            """
        ),
        (
            "touches.csv",
            """
            id,account_id,kind,channel,occurred_at
            Y1,B1,bogus,Organic,2024-02-01T10:00:00Z
            Y2,B1,visit,Organic,2024-02-01T25:00:00Z
            Y3,B1,visit,,2024-02-01T10:00:00Z
            ,B1,visit,Organic,2024-02-01T10:00:00Z
            Y5,B1,visit,Organic,2024-02-01T10:00:00Z
            Y5,B1,email_open,Email,2024-02-02T10:00:00Z

            """
        ),
    ]

    func run(_ files: [(String, String)], generalOnly: Bool, skipInvalid: Bool = false) throws -> (String, [String]) {
        let f = try ImportFixture()
        for (name, text) in files {
            var data = Data(text.utf8)
            if name == "accounts.csv", let r = text.range(of: "Bad utf8") {
                data =
                    Data(text[..<r.lowerBound].utf8) + Data([0x42, 0xFF, 0x61, 0x64]) + Data(text[r.upperBound...].utf8)
            }
            try data.write(to: URL(fileURLWithPath: f.folder + "/" + name))
        }
        do {
            let result = try f.run(files.map(\.0)) {
                $0.generalPathOnly = generalOnly
                $0.skipInvalid = skipInvalid
                $0.rejectFile = f.folder + "/rejects.csv"
            }
            let rejects = (try? String(contentsOfFile: f.folder + "/rejects.csv", encoding: .utf8)) ?? ""
            return (
                try f.content(),
                (result.problems + [rejects, "\(result.files)", result.dataThrough ?? ""]).map {
                    $0.replacingOccurrences(of: f.folder, with: "")
                }
            )
        } catch let failure as ImportFailure {
            return (
                try f.content(),
                (failure.problems.map(\.description) + ["\(failure.problemCount)"]).map {
                    $0.replacingOccurrences(of: f.folder, with: "")
                }
            )
        }
    }

    @Test(
        "cells in other accepted forms, quoting, guards, spaces and self references store what the general path stores")
    func sameValues() throws {
        let fast = try run(Self.files, generalOnly: false)
        let general = try run(Self.files, generalOnly: true)
        #expect(fast.0 == general.0)
        #expect(fast.1 == general.1)
        #expect(fast.0.contains(#"Acme \"Quoted\" Inc"#))
        #expect(fast.0.contains(#"name:"  Spaced  ""#))
        #expect(fast.0.contains(#"name:"=Formula""#))
    }

    @Test("bad rows give the same problems at the same positions, all or nothing and with --skip-invalid")
    func sameProblems() throws {
        let fast = try run(Self.bad, generalOnly: false)
        let general = try run(Self.bad, generalOnly: true)
        #expect(fast.1 == general.1)
        #expect(fast.1.count > 6)
        let mixed =
            Self.files + [
                (
                    "tickets.csv",
                    #"""
                    id,account_id,person_id,opened_at,priority,category,status
                    K1,A1,P1,2024-03-01T10:00:00Z,high,billing,open
                    K2,A1,P1,2024-03-01T10:00:00Z,someday,billing,open
                    K3, A1,P1,2024-03-01T10:00:00Z,low,billing,open
                    K4,A2,,2024-03-01,low,"billing, ""urgent""",open

                    """#
                )
            ]
        let fastSkip = try run(mixed, generalOnly: false, skipInvalid: true)
        let generalSkip = try run(mixed, generalOnly: true, skipInvalid: true)
        #expect(fastSkip.1.first?.hasPrefix("/tickets.csv:3:") == true)
        #expect(fastSkip.0 == generalSkip.0)
        #expect(fastSkip.1 == generalSkip.1)
    }
}
