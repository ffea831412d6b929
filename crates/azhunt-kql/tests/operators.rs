//! Tabular operator tests over a small AzureActivity table.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use azhunt_kql::{Type, Value};
use common::*;

#[test]
fn where_and_count() {
    assert_eq!(
        one("AzureActivity | where Caller == 'alice@contoso.com' | count"),
        Value::Int(2)
    );
    assert_eq!(
        one("AzureActivity | where Caller == 'ALICE@contoso.com' | count"),
        Value::Int(0)
    );
    assert_eq!(
        one("AzureActivity | where Caller =~ 'ALICE@contoso.com' | count"),
        Value::Int(2)
    );
    assert_eq!(
        one("AzureActivity | where Caller != 'alice@contoso.com' | count"),
        Value::Int(4)
    );
    assert_eq!(
        one("AzureActivity | where Count > 2 | count"),
        Value::Int(3)
    );
    assert_eq!(
        one("AzureActivity | where isnull(Count) | count"),
        Value::Int(1)
    );
    // null compared with a value is false; != is true.
    assert_eq!(
        one("AzureActivity | where Count == 1 or Count != 1 | count"),
        Value::Int(6)
    );
    assert_eq!(
        one("AzureActivity | where TimeGenerated > ago(1d) | count"),
        Value::Int(5)
    );
    assert_eq!(
        one("AzureActivity | where TimeGenerated between (datetime(2026-11-12) .. 1d) | count"),
        Value::Int(4)
    );
    assert_eq!(
        one("AzureActivity | where Count !between (2 .. 5) | count"),
        Value::Int(2)
    );
    assert_eq!(
        one("AzureActivity | where not(Caller has 'contoso') | count"),
        Value::Int(2)
    );
}

#[test]
fn project_family() {
    let t = q(
        "AzureActivity | project Caller, Op = tolower(OperationNameValue), Props_d = Properties_d.a | take 1",
    );
    assert_eq!(names(&t), ["Caller", "Op", "Props_d"]);
    assert_eq!(
        t.rows[0][1],
        Value::from("microsoft.compute/virtualmachines/write")
    );
    let t = q("AzureActivity | project-away Properties_d, Count, Caller* | take 1");
    assert_eq!(
        names(&t),
        [
            "TimeGenerated",
            "OperationNameValue",
            "ResourceGroup",
            "ActivityStatusValue"
        ]
    );
    let t = q("AzureActivity | project-rename Who = Caller | project-reorder Who, Count | take 1");
    assert_eq!(names(&t)[..2], ["Who", "Count"]);
    let t = q("AzureActivity | project-keep Res* | take 1");
    assert_eq!(names(&t), ["ResourceGroup"]);
    let e = err("AzureActivity | project-away Nope");
    assert!(e.message.contains("Nope"), "{}", e.message);
}

#[test]
fn extend_references_earlier_columns() {
    let t = q("AzureActivity | extend a = Count * 2, b = a + 1 | where Count == 3 | project a, b");
    assert_eq!(t.rows, vec![vec![Value::Int(6), Value::Int(7)]]);
    let t = q("AzureActivity | extend Count = Count + 100 | where Count > 105 | count");
    assert_eq!(t.rows[0][0], Value::Int(1));
    let t = q("print (a, b) = pack_array(1, 2)");
    assert_eq!(t.rows[0], vec![Value::Int(1), Value::Int(2)]);
}

#[test]
fn summarize_defaults_and_keys() {
    let t = q(
        "AzureActivity | summarize count(), dcount(Caller), sum(Count), max(Count), make_set(ResourceGroup) by ActivityStatusValue | sort by ActivityStatusValue asc",
    );
    assert_eq!(
        names(&t),
        [
            "ActivityStatusValue",
            "count_",
            "dcount_Caller",
            "sum_Count",
            "max_Count",
            "set_ResourceGroup"
        ]
    );
    assert_eq!(
        strs(&t, "ActivityStatusValue"),
        ["Failure", "Start", "Success"]
    );
    assert_eq!(
        col(&t, "count_"),
        [Value::Int(1), Value::Int(1), Value::Int(4)]
    );
    assert_eq!(
        col(&t, "sum_Count"),
        [Value::Int(2), Value::Int(5), Value::Int(10)]
    );
    assert_eq!(col(&t, "dcount_Caller")[2], Value::Int(3));
    let t = q(
        "AzureActivity | summarize n = count() by bin(TimeGenerated, 1d) | sort by TimeGenerated asc",
    );
    assert_eq!(names(&t), ["TimeGenerated", "n"]);
    assert_eq!(col(&t, "n"), [Value::Int(1), Value::Int(1), Value::Int(4)]);
    assert_eq!(t.columns[0].1, Type::DateTime);
    let t = q(
        "AzureActivity | summarize c = countif(Count > 2), avg(Count), m = round(avg(Count) * 2, 1), l = make_list(Caller, 2)",
    );
    assert_eq!(t.rows[0][0], Value::Int(3));
    assert_eq!(t.rows[0][1], Value::Real(17.0 / 5.0));
    assert_eq!(t.rows[0][2], Value::Real(6.8));
    assert_eq!(
        t.rows[0][3].to_json(),
        r#"["alice@contoso.com","alice@contoso.com"]"#
    );
    // Empty input without keys: one row.
    assert_eq!(
        q("AzureActivity | where false | summarize count()").rows,
        vec![vec![Value::Int(0)]]
    );
    assert!(
        q("AzureActivity | where false | summarize count() by Caller")
            .rows
            .is_empty()
    );
}

#[test]
fn summarize_arg_max_and_if_variants() {
    let t = q(
        "AzureActivity | summarize arg_max(TimeGenerated, *) by Caller | where Caller == 'bob@contoso.com'",
    );
    assert_eq!(names(&t)[..2], ["Caller", "TimeGenerated"]);
    assert_eq!(t.rows[0][1], dt("2026-11-12T10:15:00Z"));
    assert_eq!(
        strs(&t, "OperationNameValue"),
        ["Microsoft.Storage/storageAccounts/listKeys/action"]
    );
    let t = q(
        "AzureActivity | summarize arg_min(TimeGenerated, OperationNameValue) by Caller | where Caller == 'bob@contoso.com'",
    );
    assert_eq!(names(&t), ["Caller", "TimeGenerated", "OperationNameValue"]);
    assert_eq!(
        strs(&t, "OperationNameValue"),
        ["Microsoft.Authorization/roleAssignments/write"]
    );
    let t = q(
        "AzureActivity | summarize s = make_set_if(Caller, ActivityStatusValue == 'Success'), d = dcountif(Caller, Count > 1), take_any(ResourceGroup), minif(Count, Count > 1)",
    );
    assert_eq!(
        t.rows[0][0].to_json(),
        r#"["alice@contoso.com","bob@contoso.com",""]"#
    );
    assert_eq!(t.rows[0][1], Value::Int(4));
    assert_eq!(names(&t)[2..], ["any_ResourceGroup", "minif_Count"]);
    assert_eq!(t.rows[0][3], Value::Int(2));
}

#[test]
fn sort_top_take_distinct() {
    let t = q("AzureActivity | sort by Count");
    // desc by default, nulls last
    assert_eq!(
        col(&t, "Count"),
        [6, 5, 3, 2, 1]
            .map(Value::Int)
            .into_iter()
            .chain([Value::Null])
            .collect::<Vec<_>>()
    );
    let t = q("AzureActivity | order by Count asc");
    assert_eq!(col(&t, "Count")[0], Value::Null);
    let t = q("AzureActivity | sort by Count asc nulls last | take 2");
    assert_eq!(col(&t, "Count"), [Value::Int(1), Value::Int(2)]);
    let t = q("AzureActivity | top 2 by TimeGenerated desc | project Caller");
    assert_eq!(
        strs(&t, "Caller"),
        ["carol@fabrikam.com", "bob@contoso.com"]
    );
    assert_eq!(q("AzureActivity | limit 3").rows.len(), 3);
    assert_eq!(q("AzureActivity | distinct Caller").rows.len(), 4);
    assert_eq!(
        q("AzureActivity | distinct Caller, CallerIpAddress")
            .rows
            .len(),
        4
    );
    assert_eq!(
        q("AzureActivity | project ResourceGroup | distinct *")
            .rows
            .len(),
        4
    );
}

#[test]
fn join_flavours() {
    let base = "let L = datatable(k:string, a:int)['x',1,'x',2,'y',3,'z',4]; let R = datatable(k:string, b:int)['x',10,'y',20,'y',21,'w',30];";
    let rows = |kind: &str| {
        q(&format!("{base} L | join kind={kind} (R) on k"))
            .rows
            .len()
    };
    assert_eq!(q(&format!("{base} L | join (R) on k")).rows.len(), 3); // innerunique: x once, y twice
    assert_eq!(rows("inner"), 4);
    assert_eq!(rows("leftouter"), 5);
    assert_eq!(rows("leftanti"), 1);
    assert_eq!(rows("rightanti"), 1);
    assert_eq!(rows("leftsemi"), 3);
    assert_eq!(rows("rightsemi"), 3);
    assert_eq!(rows("fullouter"), 6);
    let t = q(&format!("{base} L | join kind=inner R on k"));
    assert_eq!(names(&t), ["k", "a", "k1", "b"]);
    let t = q(&format!(
        "{base} L | join kind=inner (R | project-rename k2 = k) on $left.k == $right.k2 | where a == 3"
    ));
    assert_eq!(col(&t, "b"), [Value::Int(20), Value::Int(21)]);
    let t = q(&format!("{base} L | lookup (R) on k"));
    assert_eq!(names(&t), ["k", "a", "b"]);
    assert_eq!(t.rows.len(), 5);
    let e = err(&format!("{base} L | join (R) on nope"));
    assert!(e.message.contains("nope"));
}

#[test]
fn union_and_datatable() {
    let t = q("union (datatable(a:int)[1, 2]), (datatable(a:int, b:string)[3, 'x'])");
    assert_eq!(names(&t), ["a", "b"]);
    assert_eq!(t.rows.len(), 3);
    assert_eq!(t.rows[0][1], Value::Null);
    let t = q("datatable(a:int)[1] | union (datatable(a:int)[2]) | count");
    assert_eq!(t.rows[0][0], Value::Int(2));
    let t = q("union withsource=Src AzureActivity | take 1 | project Src");
    assert_eq!(t.rows[0][0], Value::from("AzureActivity"));
    assert_eq!(q("union Azure* | count").rows[0][0], Value::Int(6));
    assert_eq!(
        q("union isfuzzy=true AzureActivity, Missing | count").rows[0][0],
        Value::Int(6)
    );
    let t = q(
        "datatable(d:datetime, s:timespan, j:dynamic)[datetime(2026-01-01), 1h, dynamic({'a':[1]})]",
    );
    assert_eq!(t.rows[0][1], Value::TimeSpan(3_600_000_000_000));
    assert_eq!(t.rows[0][2].to_json(), r#"{"a":[1]}"#);
}

#[test]
fn mv_expand_and_apply() {
    let t = q(
        "AzureActivity | where Count == 1 | mv-expand tag = Properties_d.tags to typeof(string) | project tag",
    );
    assert_eq!(t.rows, vec![vec![Value::from("x")], vec![Value::from("y")]]);
    assert_eq!(t.columns[0].1, Type::String);
    let t = q("print a = dynamic([1,2,3]), b = dynamic(['x']) | mv-expand a, b");
    assert_eq!(t.rows.len(), 3);
    assert_eq!(t.rows[2][1], Value::Null);
    let t = q("print b = dynamic({'k1': 1, 'k2': 2}) | mvexpand b");
    assert_eq!(t.rows[1][0].to_json(), r#"{"k2":2}"#);
    let t = q("print a = dynamic([]) | mv-expand a");
    assert_eq!(t.rows.len(), 1);
    let t = q(
        "print id = 1, a = dynamic([5, 1, 9]) | mv-apply x = a to typeof(long) on (where x > 2 | summarize m = max(x))",
    );
    assert_eq!(names(&t), ["id", "a", "m"]);
    assert_eq!(t.rows[0][2], Value::Int(9));
}

#[test]
fn parse_operator() {
    let t = q(
        r#"print s = "user=alice id=42 ok" | parse s with * "user=" user " id=" id:int " " rest"#,
    );
    assert_eq!(
        t.rows[0][1..],
        [Value::from("alice"), Value::Int(42), Value::from("ok")]
    );
    let t = q(r#"print s = "nothing here" | parse s with "user=" user:string " id=" id:int *"#);
    assert_eq!(t.rows[0][1..], [Value::from(""), Value::Null]);
    let t = q(r#"print s = "a1b22c" | parse kind=regex s with "a" x:int "b" y:long "c""#);
    assert_eq!(t.rows[0][1..], [Value::Int(1), Value::Int(22)]);
}

#[test]
fn getschema_render_let_tabular() {
    let t = q("AzureActivity | project Caller, Count | getschema");
    assert_eq!(
        names(&t),
        ["ColumnName", "ColumnOrdinal", "DataType", "ColumnType"]
    );
    assert_eq!(
        t.rows[1],
        vec![
            Value::from("Count"),
            Value::Int(1),
            Value::from("System.Int64"),
            Value::from("long")
        ]
    );
    assert_eq!(
        q("AzureActivity | render timechart with (title='x')")
            .rows
            .len(),
        6
    );
    let t =
        q("let T = AzureActivity | where Caller has 'bob'; let n = 1; T | where Count > n | count");
    assert_eq!(t.rows[0][0], Value::Int(1));
    // Unused let that cannot run does not fail the query.
    let t =
        q("let X = externaldata(a:string)['https://x'] with (format='csv'); AzureActivity | count");
    assert_eq!(t.rows[0][0], Value::Int(6));
}

#[test]
fn functions_scalar_and_tabular() {
    assert_eq!(
        one("let f = (x:int) { x + 1 }; print f(41)"),
        Value::Int(42)
    );
    assert_eq!(
        one("let f = (x:int, y:int = 10) { x * y }; print f(4)"),
        Value::Int(40)
    );
    let t = q(
        "let byCaller = (c:string) { AzureActivity | where Caller == c }; byCaller('bob@contoso.com') | count",
    );
    assert_eq!(t.rows[0][0], Value::Int(2));
    let t = q("let g = (T:(Caller:string)) { T | summarize n = count() }; g(AzureActivity)");
    assert_eq!(t.rows[0][0], Value::Int(6));
    assert_eq!(
        one("let t = toscalar(AzureActivity | summarize max(Count)); print t"),
        Value::Int(6)
    );
    let t = q(
        "let bad = AzureActivity | where Caller has 'bob' | project Caller; AzureActivity | where Caller in (bad) | count",
    );
    assert_eq!(t.rows[0][0], Value::Int(2));
    let t = q(
        "AzureActivity | where Caller !in ((AzureActivity | where Count > 2 | project Caller)) | count",
    );
    assert_eq!(t.rows[0][0], Value::Int(2));
}

#[test]
fn dynamic_access() {
    let t = q(
        "AzureActivity | where Count == 1 | project a = Properties_d.a, t0 = Properties_d.tags[0], tl = Properties_d['tags'][-1], k = Properties_d.nested.k, m = Properties_d.missing.x",
    );
    assert_eq!(
        t.rows[0],
        vec![
            Value::Int(1),
            Value::from("x"),
            Value::from("y"),
            Value::from("v"),
            Value::Null
        ]
    );
    let t = q(
        r#"print j = parse_json(@'{"TargetResources":[{"modifiedProperties":[{"newValue":"\"Admin\""}]}]}') | project v = tostring(j.TargetResources[0].modifiedProperties[0].newValue)"#,
    );
    assert_eq!(t.rows[0][0], Value::from("\"Admin\""));
    assert_eq!(one("print x = dynamic([1,2])[5]"), Value::Null);
}

#[test]
fn unknown_names_are_reported() {
    let e = err("Nope | take 1");
    assert_eq!(e.kind, azhunt_kql::ErrorKind::UnknownTable);
    assert!(e.message.contains("'Nope'"));
    assert_eq!(e.offset, 0);
    let e = err("AzureActivity | where Calller == 'x'");
    assert_eq!(e.kind, azhunt_kql::ErrorKind::UnknownColumn);
    assert!(e.message.contains("'Calller'"));
    assert_eq!(e.offset, 22);
    let e = err("AzureActivity | extend x = frob(Caller)");
    assert_eq!(e.kind, azhunt_kql::ErrorKind::UnknownFunction);
    assert!(e.message.contains("'frob'"));
    assert_eq!(e.offset, 27);
    let e = err("AzureActivity | extend x = count()");
    assert!(e.message.contains("summarize"));
}

#[test]
fn make_series_bins_and_defaults() {
    let t = q(
        "AzureActivity | make-series n = count() default = 0 on TimeGenerated from datetime(2026-11-11) to datetime(2026-11-13) step 1d by ActivityStatusValue | sort by ActivityStatusValue asc",
    );
    assert_eq!(names(&t), ["ActivityStatusValue", "n", "TimeGenerated"]);
    assert_eq!(
        strs(&t, "ActivityStatusValue"),
        ["Failure", "Start", "Success"]
    );
    assert_eq!(t.rows[2][1].to_json(), "[1,2]");
    assert_eq!(t.rows[0][1].to_json(), "[0,1]");
    assert_eq!(
        t.rows[0][2].to_json(),
        r#"["2026-11-11T00:00:00.0000000Z","2026-11-12T00:00:00.0000000Z"]"#
    );
    let t = q(
        "AzureActivity | make-series sum(Count) on TimeGenerated in range(datetime(2026-11-12), datetime(2026-11-12 12:00), 4h)",
    );
    assert_eq!(names(&t), ["sum_Count", "TimeGenerated"]);
    assert_eq!(t.rows[0][0].to_json(), "[0,0,11]");
    let t = q(
        "AzureActivity | make-series c = count() on TimeGenerated step 12h | mv-expand c to typeof(long), TimeGenerated to typeof(datetime) | where c > 0 | count",
    );
    assert_eq!(t.rows[0][0], Value::Int(3));
}

#[test]
fn star_search_print_names_and_null_strings() {
    assert_eq!(
        one("AzureActivity | where * has 'fabrikam' | count"),
        Value::Int(1)
    );
    assert_eq!(
        one("AzureActivity | where * contains 'LISTKEYS' | count"),
        Value::Int(1)
    );
    let t = q("print 1, x = 2, 'a'");
    assert_eq!(names(&t), ["print_0", "x", "print_2"]);
    let mut c = azhunt_kql::MemoryCatalog::new();
    let mut tab = azhunt_kql::Table::new(
        "T",
        vec![("s".into(), Type::String), ("n".into(), Type::Long)],
    );
    tab.rows.push(vec![Value::Null, Value::Null]);
    c.insert(tab);
    let t = azhunt_kql::run(
        "T | where s == '' and isempty(s) and isnull(n)",
        &c,
        &azhunt_kql::Options { now: now() },
    )
    .unwrap();
    assert_eq!(t.rows.len(), 1);
}

#[test]
fn parse_where_and_search() {
    let t =
        q(r#"datatable(s:string)["id=1", "nothing", "id=22"] | parse-where s with "id=" id:int"#);
    assert_eq!(col(&t, "id"), [Value::Int(1), Value::Int(22)]);
    assert_eq!(
        one("AzureActivity | search 'fabrikam' | count"),
        Value::Int(1)
    );
    assert_eq!(
        one("AzureActivity | search '*ontos*' | count"),
        Value::Int(4)
    );
    assert_eq!(
        one("AzureActivity | search kind=case_sensitive 'FABRIKAM' | count"),
        Value::Int(0)
    );
    assert_eq!(
        one("AzureActivity | search Caller has 'bob' | count"),
        Value::Int(2)
    );
}

#[test]
fn window_functions() {
    let base = "datatable(k:string, v:int)['a',1,'a',2,'b',5,'b',5,'c',1] | serialize";
    let t = q(&format!(
        "{base} | extend n = row_number(), p = prev(v), nx = next(v, 1, -1), cs = row_cumsum(v), r = row_rank_dense(k), rm = row_rank_min(k)"
    ));
    assert_eq!(col(&t, "n"), [1, 2, 3, 4, 5].map(Value::Int));
    assert_eq!(
        col(&t, "p"),
        [
            Value::Null,
            Value::Int(1),
            Value::Int(2),
            Value::Int(5),
            Value::Int(5)
        ]
    );
    assert_eq!(col(&t, "nx"), [2, 5, 5, 1, -1].map(Value::Int));
    assert_eq!(col(&t, "cs"), [1, 3, 8, 13, 14].map(Value::Int));
    assert_eq!(col(&t, "r"), [1, 1, 2, 2, 3].map(Value::Int));
    assert_eq!(col(&t, "rm"), [1, 1, 3, 3, 5].map(Value::Int));
    let t = q(&format!("{base} | extend cs = row_cumsum(v, k != prev(k))"));
    assert_eq!(col(&t, "cs"), [1, 3, 5, 10, 1].map(Value::Int));
    let t = q(
        "AzureActivity | sort by TimeGenerated asc | extend gap = TimeGenerated - prev(TimeGenerated) | project gap | take 2",
    );
    assert_eq!(t.rows[0][0], Value::Null);
    assert!(matches!(t.rows[1][0], Value::TimeSpan(_)));
    let e = err("AzureActivity | where prev(Count) > 1");
    assert!(e.message.contains("serialized"), "{}", e.message);
}

#[test]
fn evaluate_ipv4_lookup() {
    let q_ = "let ranges = datatable(network:string, provider:string)['52.0.0.0/8','cloud-a','52.1.0.0/16','cloud-b','10.0.0.0/8','corp']; AzureActivity | evaluate ipv4_lookup(ranges, CallerIpAddress, network) | project Caller, provider";
    let t = q(q_);
    assert_eq!(strs(&t, "provider"), ["corp", "corp", "cloud-b", "cloud-b"]);
    let t = q(&q_.replace("network)", "network, return_unmatched = true)"));
    assert_eq!(t.rows.len(), 6);
}

#[test]
fn auto_names_do_not_collide() {
    let t = q("print a = 'X' | extend tolower(a) | extend toupper(a)");
    assert_eq!(names(&t), ["a", "Column1", "Column2"]);
}

#[test]
fn shared_types_are_thread_safe() {
    fn check<T: Send + Sync>() {}
    check::<azhunt_kql::MemoryCatalog>();
    check::<azhunt_kql::Table>();
    check::<azhunt_kql::Value>();
    check::<azhunt_kql::KqlError>();
    check::<azhunt_kql::ast::Query>();
}

#[test]
fn text_and_json_rendering() {
    let t = q("datatable(a:string, n:long)['x', 1, 'longer text here', 22]");
    assert_eq!(
        t.to_text(8),
        "a        | n\n---------+---\nx        | 1\nlonger … | 22\n"
    );
    assert_eq!(
        t.to_json_lines(),
        "{\"a\":\"x\",\"n\":1}\n{\"a\":\"longer text here\",\"n\":22}\n"
    );
}

#[test]
fn summarize_post_expression_sees_keys() {
    let t = q(
        "AzureActivity | summarize s = strcat(ResourceGroup, ':', count()) by ResourceGroup | sort by s asc",
    );
    assert_eq!(strs(&t, "s"), ["RG1:1", "rg1:2", "rg2:2", "rg3:1"]);
}

#[test]
fn invoke_passes_the_piped_table_first() {
    let q = "let top_callers = (T:(*), n:long) { T | summarize c = count() by Caller | top n by c };\
             AzureActivity | invoke top_callers(1) | project Caller";
    assert_eq!(one(q), Value::from("alice@contoso.com"));
    let e = err("AzureActivity | invoke nope()");
    assert!(e.message.contains("nope"), "{}", e.message);
}

#[test]
fn externaldata_is_empty_offline() {
    let q = "externaldata(Ip:string, Tag:string) [@\"https://example.invalid/list.csv\"] with (format=\"csv\") | count";
    assert_eq!(one(q), Value::Int(0));
    let q = "let bad = externaldata(Ip:string) [\"https://example.invalid/x\"];\
             AzureActivity | where CallerIpAddress in (bad) | count";
    assert_eq!(one(q), Value::Int(0));
}
