import Foundation

/// The OpenAPI 3.1 document at /openapi.json, made from the route table the router serves, so it
/// lists exactly the routes that exist with their parameters and responses.
enum OpenAPIDocument {
    static let selfDoc = RouteTable.Doc(
        method: .get, path: "/openapi.json", summary: "This document (OpenAPI 3.1).", tag: "service", parameters: [],
        responses: [("200", "The OpenAPI document.", "application/json")])

    static func render(_ docs: [RouteTable.Doc]) -> String {
        var paths: [String: [String: Any]] = [:]
        for doc in docs {
            var operation: [String: Any] = [
                "summary": doc.summary, "tags": [doc.tag],
                "operationId": operationId(doc),
            ]
            let parameters: [[String: Any]] = doc.parameters.map { p in
                var schema: [String: Any] = ["type": p.type]
                if !p.values.isEmpty { schema["enum"] = p.values }
                return [
                    "name": p.name, "in": p.place.rawValue, "required": p.place == .path, "description": p.description,
                    "schema": schema,
                ]
            }
            if !parameters.isEmpty { operation["parameters"] = parameters }
            if let body = doc.requestBody {
                operation["requestBody"] = [
                    "required": true,
                    "content": [body: ["schema": ["type": "object"]]],
                ]
            }
            var responses: [String: Any] = [:]
            for (code, description, media) in doc.responses {
                responses[code] = ["description": description, "content": [media: [String: Any]()]]
            }
            responses["401"] = [
                "description": "A token is configured and the request has none or a wrong one.",
                "content": ["application/problem+json": [String: Any]()],
            ]
            operation["responses"] = responses
            paths[doc.path, default: [:]][doc.method.rawValue.lowercased()] = operation
        }
        let document: [String: Any] = [
            "openapi": "3.1.0",
            "info": [
                "title": "Fulcrum", "version": "1",
                "description":
                    "Account-lifecycle analytics: every report of `fulcrum report`, accounts, imports. Errors are application/problem+json naming the parameter at fault. When the server has an access token, send `Authorization: Bearer TOKEN`.",
            ],
            "servers": [["url": "/"]],
            "components": [
                "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer"]]
            ],
            "security": [["bearer": [String]()], [String: Any]()],
            "paths": paths,
        ]
        let data =
            (try? JSONSerialization.data(
                withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func operationId(_ doc: RouteTable.Doc) -> String {
        let words = doc.path.split(separator: "/").map { part in
            part.hasPrefix("{")
                ? "By" + part.dropFirst().dropLast().capitalized : part.replacingOccurrences(of: ".", with: "_")
        }
        return doc.method.rawValue.lowercased() + "_" + (words.isEmpty ? "root" : words.joined(separator: "_"))
    }
}
