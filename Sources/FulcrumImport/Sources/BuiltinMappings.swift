/// The standard exports of Salesforce, HubSpot and Stripe, mapped onto the
/// canonical tables. docs/import.md lists every file and column.
public enum BuiltinMappings {
    public static func mapping(for kind: String) -> SourceMapping? {
        switch kind {
        case "salesforce": return salesforce
        case "hubspot": return hubspot
        case "stripe": return stripe
        default: return nil
        }
    }

    static let deletedWithoutMerge = RowCondition(
        "IsDeleted", .equals(["true", "1"]), and: [RowCondition("MasterRecordId", .empty)])
    static let deleted = RowCondition("IsDeleted", .equals(["true", "1"]))

    // MARK: Salesforce (API field names of the standard objects)

    /// Salesforce's Data Export writes an empty lookup as the 18-character null id.
    public static let salesforceNullId = "000000000000000AAA"

    static let salesforcePriorities = [
        "Low": "low", "Medium": "normal", "Normal": "normal", "High": "high", "Urgent": "urgent", "Critical": "urgent",
    ]

    public static let salesforce = SourceMapping(
        name: "salesforce",
        files: [
            FileMapping(
                names: ["User", "Users"], table: "reps",
                columns: [
                    ColumnRule("id", ["Id"]),
                    ColumnRule("name", ["Name", "LastName"]),
                    ColumnRule("email", ["Email"]),
                    ColumnRule("role", ["Title", "UserRoleId"], fallback: "rep"),
                    ColumnRule("hired_on", ["CreatedDate"]),
                ]),
            FileMapping(
                names: ["Account", "Accounts"], table: "accounts",
                columns: [
                    ColumnRule("id", ["Id"]),
                    ColumnRule("name", ["Name"]),
                    ColumnRule("domain", ["Website"], .domain),
                    ColumnRule("segment", ["Segment__c", "Industry"]),
                    ColumnRule("industry", ["Industry"]),
                    ColumnRule("country", ["BillingCountry", "ShippingCountry"]),
                    ColumnRule("employees", ["NumberOfEmployees"]),
                    ColumnRule("owner_rep_id", ["OwnerId"]),
                    ColumnRule("parent_account_id", ["ParentId"]),
                    ColumnRule("merged_into", ["MasterRecordId"]),
                    ColumnRule("created_on", ["CreatedDate"]),
                ], skip: [deletedWithoutMerge], customFields: ["Type", "AccountSource", "Rating"]),
            FileMapping(
                names: ["Contact", "Contacts"], table: "people",
                columns: [
                    ColumnRule("id", ["Id"]),
                    ColumnRule("account_id", ["AccountId"]),
                    ColumnRule("email", ["Email"]),
                    ColumnRule("first_name", ["FirstName"]),
                    ColumnRule("last_name", ["LastName"]),
                    ColumnRule("title", ["Title"]),
                    ColumnRule("lead_source", ["LeadSource"]),
                    ColumnRule("owner_rep_id", ["OwnerId"]),
                    ColumnRule("created_at", ["CreatedDate"]),
                    ColumnRule.constant("status", "contact"),
                ], skip: [deleted]),
            FileMapping(
                names: ["Lead", "Leads"], table: "people",
                columns: [
                    ColumnRule("id", ["Id"]),
                    ColumnRule("account_id", ["ConvertedAccountId"]),
                    ColumnRule("email", ["Email"]),
                    ColumnRule("first_name", ["FirstName"]),
                    ColumnRule("last_name", ["LastName"]),
                    ColumnRule("title", ["Title"]),
                    ColumnRule("company_name", ["Company"]),
                    ColumnRule("website", ["Website"]),
                    ColumnRule("lead_source", ["LeadSource"]),
                    ColumnRule("owner_rep_id", ["OwnerId"]),
                    ColumnRule("created_at", ["CreatedDate"]),
                    ColumnRule(
                        "opportunity_at", ["ConvertedDate"], when: RowCondition("ConvertedOpportunityId", .notEmpty)),
                    ColumnRule("status", ["Status"], fallback: "lead"),
                ], skip: [deleted]),
            FileMapping(
                names: ["Campaign", "Campaigns"], table: "campaigns",
                columns: [
                    ColumnRule("id", ["Id"]),
                    ColumnRule("name", ["Name"]),
                    ColumnRule("channel", ["Type"], fallback: "Other"),
                    ColumnRule("kind", ["Type"], .lowercase, fallback: "other"),
                    ColumnRule("started_on", ["StartDate", "CreatedDate"]),
                    ColumnRule("ended_on", ["EndDate"]),
                    ColumnRule("budget_minor", ["BudgetedCost"], .majorUnits),
                ], skip: [deleted]),
            FileMapping(
                names: ["CampaignMember", "CampaignMembers"], table: "touches",
                columns: [
                    ColumnRule("id", ["Id"]),
                    ColumnRule("person_id", ["ContactId", "LeadId"]),
                    ColumnRule("campaign_id", ["CampaignId"]),
                    // A member status that names the engagement decides; the default statuses (Sent, Responded)
                    // and custom ones fall back to HasResponded.
                    ColumnRule(
                        "kind", ["Status"], .map(campaignMemberStatus, otherwise: nil),
                        when: RowCondition("Status", .equals(Array(campaignMemberStatus.keys)))),
                    ColumnRule(
                        "kind", ["HasResponded"],
                        .map(["true": "form_fill", "1": "form_fill"], otherwise: "email_open"), fallback: "email_open",
                        when: RowCondition("Status", .notEquals(Array(campaignMemberStatus.keys)))),
                    ColumnRule("channel", ["Campaign.Type"], fallback: "Campaign"),
                    ColumnRule("occurred_at", ["FirstRespondedDate", "CreatedDate"]),
                ], skip: [deleted]),
            FileMapping(
                names: ["Opportunity", "Opportunities"], table: "opportunities",
                columns: [
                    ColumnRule("id", ["Id"]),
                    ColumnRule("account_id", ["AccountId"]),
                    ColumnRule(
                        "type", ["Type"],
                        .map(
                            [
                                "New Business": "new", "New Customer": "new", "New": "new",
                                "Existing Business": "upsell", "Existing Customer - Upgrade": "upsell",
                                "Upsell": "upsell", "Expansion": "upsell",
                                "Renewal": "renewal", "Existing Customer - Renewal": "renewal",
                            ], otherwise: "new"), fallback: "new"),
                    ColumnRule("product", ["Product__c", "Product2Id"], fallback: "default"),
                    ColumnRule("owner_rep_id", ["OwnerId"]),
                    ColumnRule("lead_source", ["LeadSource"]),
                    ColumnRule("amount_minor", ["Amount"], .majorUnits, fallback: "0"),
                    ColumnRule("currency", ["CurrencyIsoCode"], .uppercase, fallback: "USD"),
                    ColumnRule("created_on", ["CreatedDate"]),
                    ColumnRule("closed_on", ["CloseDate"], when: RowCondition("IsClosed", .equals(["true", "1"]))),
                    ColumnRule("stage", ["StageName"]),
                    ColumnRule("is_closed", ["IsClosed"]),
                    ColumnRule("is_won", ["IsWon"]),
                ], skip: [deleted], customFields: ["Name", "ForecastCategoryName", "Probability"]),
            FileMapping(
                names: ["OpportunityHistory"], table: "opportunity_stages",
                columns: [
                    ColumnRule("id", ["Id"]),
                    ColumnRule("opportunity_id", ["OpportunityId"]),
                    ColumnRule("stage", ["StageName"]),
                    ColumnRule("entered_at", ["CreatedDate"]),
                ], skip: [deleted]),
            FileMapping(
                names: ["OpportunityLineItem", "OpportunityLineItems"], table: "opportunity_products",
                columns: [
                    ColumnRule("id", ["Id"]),
                    ColumnRule("opportunity_id", ["OpportunityId"]),
                    ColumnRule("product", ["Product2.Name", "ProductCode", "Name", "Product2Id"], fallback: "default"),
                    ColumnRule("quantity", ["Quantity"]),
                    ColumnRule("amount_minor", ["TotalPrice"], .majorUnits, fallback: "0"),
                    ColumnRule("currency", ["CurrencyIsoCode"], .uppercase, fallback: "USD"),
                ], skip: [deleted], customFields: ["UnitPrice", "Discount", "ServiceDate"]),
            FileMapping(
                names: ["OpportunityFieldHistory"], table: "opportunity_stages",
                columns: [
                    ColumnRule("id", ["Id"]),
                    ColumnRule("opportunity_id", ["OpportunityId"]),
                    ColumnRule("stage", ["NewValue"]),
                    ColumnRule("entered_at", ["CreatedDate"]),
                ], skip: [deleted, RowCondition("Field", .notEquals(["StageName"]))]),
            FileMapping(
                names: ["Task", "Tasks"], table: "activities",
                columns: [
                    ColumnRule("id", ["Id"]),
                    ColumnRule("account_id", ["AccountId"]),
                    ColumnRule("rep_id", ["OwnerId"]),
                    ColumnRule("person_id", ["WhoId"]),
                    ColumnRule(
                        "kind", ["TaskSubtype", "Type"],
                        .map(
                            [
                                "Call": "call", "Email": "email", "Meeting": "meeting", "Demo": "demo",
                                "ListEmail": "email", "Task": "call",
                            ], otherwise: "call"), fallback: "call"),
                    ColumnRule("occurred_at", ["CompletedDateTime", "ActivityDate", "CreatedDate"]),
                ], skip: [deleted]),
            FileMapping(
                names: ["Event", "Events"], table: "activities",
                columns: [
                    ColumnRule("id", ["Id"]),
                    ColumnRule("account_id", ["AccountId"]),
                    ColumnRule("rep_id", ["OwnerId"]),
                    ColumnRule("person_id", ["WhoId"]),
                    ColumnRule(
                        "kind", ["Type", "EventSubtype"],
                        .map(["Demo": "demo", "Call": "call", "Email": "email"], otherwise: "meeting"),
                        fallback: "meeting"),
                    ColumnRule("occurred_at", ["StartDateTime", "ActivityDateTime", "CreatedDate"]),
                ], skip: [deleted]),
            FileMapping(
                names: ["Case", "Cases"], table: "tickets",
                columns: [
                    ColumnRule("id", ["Id"]),
                    ColumnRule("account_id", ["AccountId"]),
                    ColumnRule("person_id", ["ContactId"]),
                    ColumnRule("opened_at", ["CreatedDate"]),
                    ColumnRule("closed_at", ["ClosedDate"], when: RowCondition("IsClosed", .equals(["true", "1"]))),
                    ColumnRule(
                        "priority", ["Priority"], .map(salesforcePriorities, otherwise: "normal"), fallback: "normal"),
                    ColumnRule("category", ["Type", "Reason"], fallback: "other"),
                    ColumnRule("status", ["Status"], fallback: "New"),
                ], skip: [deleted], customFields: ["CaseNumber", "Origin", "Subject"]),
        ].map { file in
            var file = file
            file.nullValues = [salesforceNullId]
            return file
        })

    // MARK: HubSpot (CRM exports: internal property names, or the labels of UI exports)

    static let hubspotStages: [String: String] = [
        "appointmentscheduled": "Appointment Scheduled", "qualifiedtobuy": "Qualified To Buy",
        "presentationscheduled": "Presentation Scheduled", "decisionmakerboughtin": "Decision Maker Bought-In",
        "contractsent": "Contract Sent", "closedwon": "Closed Won", "closedlost": "Closed Lost",
    ]

    public static let hubspot = SourceMapping(
        name: "hubspot",
        files: [
            FileMapping(
                names: ["companies", "company", "all-companies"], table: "accounts",
                columns: [
                    ColumnRule("id", ["hs_object_id", "Record ID", "Company ID"]),
                    ColumnRule("name", ["name", "Company name"]),
                    ColumnRule("domain", ["domain", "Company Domain Name", "website", "Website URL"], .domain),
                    ColumnRule("segment", ["segment", "industry", "Industry"]),
                    ColumnRule("industry", ["industry", "Industry"]),
                    ColumnRule("country", ["country", "Country/Region"]),
                    ColumnRule("employees", ["numberofemployees", "Number of Employees"]),
                    ColumnRule("parent_account_id", ["hs_parent_company_id", "Parent Company ID"]),
                    ColumnRule("created_on", ["createdate", "Create Date"], .epochMilliseconds),
                    ColumnRule("merged", ["hs_merged_object_ids", "Merged Company IDs"], .aliases),
                    ColumnRule("owner_rep_id", ["hubspot_owner_id"]),
                    ownerByName("Company owner"),
                ], customFields: ["lifecyclestage", "type"]),
            FileMapping(
                names: ["contacts", "contact", "all-contacts"], table: "people",
                columns: [
                    ColumnRule("id", ["hs_object_id", "Record ID", "Contact ID"]),
                    hubspotCompany,
                    ColumnRule("email", ["email", "Email"]),
                    ColumnRule("first_name", ["firstname", "First Name"]),
                    ColumnRule("last_name", ["lastname", "Last Name"]),
                    ColumnRule("title", ["jobtitle", "Job Title"]),
                    ColumnRule("company_name", ["company", "Company Name"]),
                    ColumnRule("website", ["website", "Website URL"]),
                    ColumnRule("lead_source", ["hs_analytics_source", "Original Source", "Original Traffic Source"]),
                    ColumnRule("channel", ["hs_analytics_source", "Original Source", "Original Traffic Source"]),
                    ColumnRule("created_at", ["createdate", "Create Date"], .epochMilliseconds),
                    ColumnRule(
                        "mql_at",
                        ["hs_lifecyclestage_marketingqualifiedlead_date", "Became a Marketing Qualified Lead Date"],
                        .epochMilliseconds),
                    ColumnRule(
                        "sql_at", ["hs_lifecyclestage_salesqualifiedlead_date", "Became a Sales Qualified Lead Date"],
                        .epochMilliseconds),
                    ColumnRule(
                        "opportunity_at", ["hs_lifecyclestage_opportunity_date", "Became an Opportunity Date"],
                        .epochMilliseconds),
                    ColumnRule(
                        "customer_at", ["hs_lifecyclestage_customer_date", "Became a Customer Date"], .epochMilliseconds
                    ),
                    // UI exports give the stage's label, API exports its internal name: both become the internal name.
                    ColumnRule(
                        "status", ["lifecyclestage", "Lifecycle Stage"],
                        .map(
                            [
                                "subscriber": "subscriber", "lead": "lead",
                                "marketing qualified lead": "marketingqualifiedlead",
                                "marketingqualifiedlead": "marketingqualifiedlead",
                                "sales qualified lead": "salesqualifiedlead",
                                "salesqualifiedlead": "salesqualifiedlead", "opportunity": "opportunity",
                                "customer": "customer",
                                "evangelist": "evangelist", "other": "other",
                            ], otherwise: nil), fallback: "lead"),
                    ColumnRule("merged", ["hs_merged_object_ids", "Merged Contact IDs"], .aliases),
                    ColumnRule("owner_rep_id", ["hubspot_owner_id"]),
                    ownerByName("Contact owner"),
                ]),
            FileMapping(
                names: ["deals", "deal", "all-deals"], table: "opportunities",
                columns: [
                    ColumnRule("id", ["hs_object_id", "Record ID", "Deal ID"]),
                    hubspotCompany,
                    ColumnRule(
                        "type", ["dealtype", "Deal Type"],
                        .map(
                            [
                                "newbusiness": "new", "New Business": "new",
                                "existingbusiness": "upsell", "Existing Business": "upsell",
                                "renewal": "renewal",
                            ], otherwise: "new"), fallback: "new"),
                    ColumnRule("product", ["product", "pipeline", "Pipeline"], fallback: "default"),
                    ColumnRule("amount_minor", ["amount", "Amount"], .majorUnits, fallback: "0"),
                    ColumnRule("currency", ["deal_currency_code", "Currency"], .uppercase, fallback: "USD"),
                    ColumnRule("created_on", ["createdate", "Create Date"], .epochMilliseconds),
                    // The close date only when the deal is closed (an open deal's is a forecast); the stage is under
                    // `dealstage` in API exports and `Deal Stage` in the UI's.
                    ColumnRule(
                        "closed_on", ["closedate"], .epochMilliseconds,
                        when: RowCondition(
                            "dealstage", .equals(["closedwon", "closedlost", "Closed Won", "Closed Lost"]))),
                    ColumnRule(
                        "closed_on", ["Close Date"], .epochMilliseconds,
                        when: RowCondition(
                            "Deal Stage", .equals(["closedwon", "closedlost", "Closed Won", "Closed Lost"]))),
                    ColumnRule("stage", ["dealstage", "Deal Stage"], .map(hubspotStages, otherwise: nil)),
                    ColumnRule(
                        "is_closed", ["dealstage", "Deal Stage"],
                        .map(
                            ["closedwon": "true", "closedlost": "true", "Closed Won": "true", "Closed Lost": "true"],
                            otherwise: "false")),
                    ColumnRule(
                        "is_won", ["dealstage", "Deal Stage"],
                        .map(["closedwon": "true", "Closed Won": "true"], otherwise: "false")),
                    ColumnRule("merged", ["hs_merged_object_ids", "Merged Deal IDs"], .aliases),
                    ColumnRule("owner_rep_id", ["hubspot_owner_id"]),
                    ownerByName("Deal owner"),
                ], customFields: ["dealname", "pipeline"]),
            FileMapping(
                names: ["tickets", "ticket", "all-tickets"], table: "tickets",
                columns: [
                    ColumnRule("id", ["hs_object_id", "Record ID", "Ticket ID"]),
                    hubspotCompany,
                    ColumnRule(
                        "person_id", ["associatedcontactid", "Associated Contact IDs", "Associated Contact ID"],
                        .firstOfList),
                    ColumnRule("opened_at", ["createdate", "Create date", "Create Date"], .epochMilliseconds),
                    ColumnRule("closed_at", ["closed_date", "Close date", "Close Date"], .epochMilliseconds),
                    ColumnRule(
                        "priority", ["hs_ticket_priority", "Priority"],
                        .map(
                            ["LOW": "low", "MEDIUM": "normal", "HIGH": "high", "URGENT": "urgent"], otherwise: "normal"),
                        fallback: "normal"),
                    ColumnRule("category", ["hs_ticket_category", "Category"], fallback: "other"),
                    ColumnRule(
                        "first_response_at",
                        ["first_agent_reply_date", "First agent email reply date", "hs_first_agent_message_sent_at"],
                        .epochMilliseconds),
                    // The default support pipeline's stage ids; a custom pipeline's come through as given.
                    ColumnRule(
                        "status", ["hs_pipeline_stage", "Ticket status"],
                        .map(
                            ["1": "New", "2": "Waiting on contact", "3": "Waiting on us", "4": "Closed"], otherwise: nil
                        ),
                        fallback: "New"),
                ], customFields: ["subject", "Ticket name", "source_type"]),
            FileMapping(
                names: ["owners", "owner", "users"], table: "reps",
                columns: [
                    ColumnRule("id", ["id", "ownerId", "Owner ID", "User ID"]),
                    ColumnRule("name", ["name", "Name", "lastName", "Last Name", "email", "Email"]),
                    ColumnRule("email", ["email", "Email"]),
                    ColumnRule.constant("role", "rep"),
                ]),
        ])

    /// The company of a HubSpot contact, deal or ticket: the API export's `associatedcompanyid`, a UI export's
    /// primary association, else the first of its associated companies.
    static let hubspotCompany = ColumnRule(
        "account_id",
        [
            "associatedcompanyid", "Associated Company IDs (Primary)", "Associated Company ID (Primary)",
            "Associated Company ID", "Company ID", "Associated Company IDs",
        ], .firstOfList)

    /// A UI export names a record's owner ("Deal owner: Jane Doe"), not the owner's id.
    static func ownerByName(_ column: String) -> ColumnRule {
        var rule = ColumnRule("owner_rep_id", [column])
        rule.byName = true
        return rule
    }

    // MARK: Stripe (API object exports; amounts in minor units, times in Unix seconds or UTC text)

    static let stripeStatus: [String: String] = [
        "incomplete": "unpaid", "incomplete_expired": "canceled",
    ]

    /// Stripe's Dashboard exports name their times `… (UTC)` and give amounts in major units
    /// (`33.00`); its API exports (and Sigma) give minor units (`3300`) under lowercase names. Headers
    /// match without regard to case, so the layout is told apart by a column only the Dashboard has.
    /// Columns only the Dashboard's exports have, any of which marks the layout (a user may deselect some).
    static let dashboardMarkers = [
        "Created (UTC)", "Date (UTC)", "Start Date (UTC)", "Start (UTC)", "Current Period Start (UTC)",
        "Current Period End (UTC)", "Customer ID", "Customer Name", "Customer Email", "Amount Due",
        "Amount Paid", "Amount Refunded", "Converted Amount", "Customer Description",
    ]
    static func dashboard(_ column: String) -> RowCondition {
        RowCondition(column, .anyColumnPresent(dashboardMarkers))
    }
    static func api(_ column: String) -> RowCondition { RowCondition(column, .noColumnPresent(dashboardMarkers)) }

    /// Salesforce CampaignMember statuses that say what the member did.
    static let campaignMemberStatus: [String: String] = [
        "Attended": "event", "Registered": "form_fill", "Responded": "form_fill", "Clicked": "email_click",
        "Opened": "email_open", "Downloaded": "content_download", "Visited": "visit",
    ]

    public static let stripe = SourceMapping(
        name: "stripe",
        files: [
            FileMapping(
                names: ["customers", "customer", "unified_customers"], table: "accounts",
                columns: [
                    ColumnRule("id", ["id"]),
                    ColumnRule("name", ["name", "description", "Description", "email", "Email"]),
                    ColumnRule("domain", ["email", "Email"], .emailDomain),
                    ColumnRule("country", ["address_country", "Address Country"]),
                    ColumnRule("created_on", ["created", "Created (UTC)"], .epochSeconds),
                ], skip: [RowCondition("deleted", .equals(["true"]))]),
            FileMapping(
                names: ["subscriptions", "subscription"], table: "subscriptions",
                columns: [
                    ColumnRule("id", ["id"]),
                    ColumnRule("account_id", ["customer", "Customer ID", "customer_id"]),
                    ColumnRule("plan", ["plan.id", "plan_id", "price.id", "price_id", "Plan", "plan"]),
                    ColumnRule(
                        "product", ["plan.product", "price.product", "product", "Product"], fallback: "default"),
                    ColumnRule(
                        "interval", ["plan.interval", "price.recurring.interval", "interval", "Interval"], .lowercase),
                    ColumnRule(
                        "interval_count",
                        ["plan.interval_count", "price.recurring.interval_count", "interval_count", "Interval Count"],
                        fallback: "1"),
                    ColumnRule(
                        "amount_minor", ["plan.amount", "price.unit_amount", "unit_amount", "amount"],
                        .timesColumn("quantity"), when: api("Created (UTC)")),
                    ColumnRule(
                        "amount_minor", ["Amount"], .majorUnitsTimesColumn("Quantity"), when: dashboard("Created (UTC)")
                    ),
                    ColumnRule("quantity", ["quantity", "Quantity"], fallback: "1"),
                    ColumnRule("currency", ["plan.currency", "currency", "Currency"], .uppercase),
                    ColumnRule("status", ["status", "Status"], .map(stripeStatus, otherwise: nil)),
                    ColumnRule(
                        "started_on", ["start_date", "Start Date (UTC)", "Start (UTC)", "created", "Created (UTC)"],
                        .epochSeconds),
                    ColumnRule("ended_on", ["ended_at", "Ended At (UTC)"], .epochSeconds),
                    ColumnRule("canceled_on", ["canceled_at", "Canceled At (UTC)"], .epochSeconds),
                    ColumnRule("cancel_at", ["cancel_at", "Cancel At (UTC)"], .epochSeconds),
                    ColumnRule("trial_end_on", ["trial_end", "Trial End (UTC)"], .epochSeconds),
                    ColumnRule(
                        "discount_percent", ["discount.coupon.percent_off", "coupon_percent_off", "Coupon Percent Off"]),
                    ColumnRule("discount_amount_minor", ["discount.coupon.amount_off", "coupon_amount_off"]),
                    ColumnRule(
                        "discount_duration", ["discount.coupon.duration", "coupon_duration", "Coupon Duration"],
                        .lowercase),
                    ColumnRule(
                        "discount_months",
                        [
                            "discount.coupon.duration_in_months", "coupon_duration_in_months",
                            "Coupon Duration In Months",
                        ]),
                    ColumnRule(
                        "discount_start_on", ["discount.start", "discount_start", "Discount Start (UTC)"], .epochSeconds
                    ),
                ], customFields: ["cancel_at_period_end", "collection_method"]),
            FileMapping(
                names: ["invoices", "invoice"], table: "invoices",
                columns: [
                    ColumnRule("id", ["id"]),
                    ColumnRule("account_id", ["customer", "Customer ID", "customer_id"]),
                    ColumnRule("subscription_id", ["subscription", "Subscription", "subscription_id"]),
                    ColumnRule("number", ["number", "Number", "id"]),
                    ColumnRule("issued_on", ["created", "Date (UTC)", "Created (UTC)"], .epochSeconds),
                    ColumnRule("due_on", ["due_date", "Due Date (UTC)"], .epochSeconds),
                    ColumnRule("status", ["status", "Status"], .lowercase),
                    ColumnRule("currency", ["currency", "Currency"], .uppercase),
                    ColumnRule("total_minor", ["total"], when: api("Date (UTC)")),
                    ColumnRule("total_minor", ["Total"], .majorUnits, when: dashboard("Date (UTC)")),
                ]),
            FileMapping(
                names: ["invoice_line_items", "invoice_lines", "invoiceitems", "line_items"], table: "invoice_lines",
                columns: [
                    ColumnRule("id", ["id"]),
                    ColumnRule("invoice_id", ["invoice", "invoice_id", "Invoice ID"]),
                    ColumnRule("subscription_id", ["subscription", "subscription_id", "Subscription"]),
                    ColumnRule("description", ["description", "Description"], fallback: "line"),
                    ColumnRule("period_start", ["period.start", "period_start", "Period Start (UTC)"], .epochSeconds),
                    ColumnRule("period_end", ["period.end", "period_end", "Period End (UTC)"], .epochSeconds),
                    ColumnRule("amount_minor", ["amount"]),
                    ColumnRule("quantity", ["quantity", "Quantity"], fallback: "1"),
                    ColumnRule("proration", ["proration", "Proration"], fallback: "false"),
                ]),
            FileMapping(
                names: ["charges", "charge", "payments", "unified_payments"], table: "payments",
                columns: [
                    ColumnRule("id", ["id"]),
                    ColumnRule("account_id", ["customer", "Customer ID", "customer_id"]),
                    ColumnRule("invoice_id", ["invoice", "Invoice ID", "invoice_id"]),
                    ColumnRule("paid_at", ["created", "Created (UTC)"], .epochSeconds),
                    ColumnRule("amount_minor", ["amount"], when: api("Created (UTC)")),
                    ColumnRule("amount_minor", ["Amount"], .majorUnits, when: dashboard("Created (UTC)")),
                    ColumnRule("currency", ["currency", "Currency"], .uppercase),
                    // Dashboard words too: a partial refund or a dispute leaves a succeeded charge (the refunded
                    // amount says what came back); an uncaptured or canceled charge collected nothing.
                    ColumnRule(
                        "status", ["status", "Status"],
                        .map(
                            [
                                "paid": "succeeded", "pending": "failed", "succeeded": "succeeded",
                                "failed": "failed", "refunded": "refunded",
                                "partially refunded": "succeeded", "partially_refunded": "succeeded",
                                "disputed": "succeeded", "uncaptured": "failed", "canceled": "failed",
                                "blocked": "failed", "incomplete": "failed",
                            ], otherwise: nil)),
                    ColumnRule("refunded_minor", ["amount_refunded"], fallback: "0", when: api("Created (UTC)")),
                    ColumnRule(
                        "refunded_minor", ["Amount Refunded"], .majorUnits, fallback: "0",
                        when: dashboard("Created (UTC)")),
                ]),
        ])
}
