"""DuckDB side of the query benchmark (issue 4): SQL equivalents of
`AzureActivity | summarize count() by Caller, bin(TimeGenerated, 1h) | count` and of the selective
`AzureActivity | where OperationNameValue =~ 'Microsoft.Authorization/roleAssignments/write' and
isnotempty(CallerIpAddress) | count`, over the same JSON Lines file azhunt reads. DuckDB is a
benchmark-only dependency (`pip install duckdb`). It counts raw lines; azhunt counts events after
de-duplication (the generated file has 0.1% exact duplicates).

Usage: python3 scripts/bench-query-duckdb.py bench-data/activity-1000000.jsonl
"""
import duckdb, time, sys
f = sys.argv[1]
con = duckdb.connect()
src = f"read_json_auto('{f}', format='newline_delimited', maximum_object_size=10000000)"
for name, sql in [
  ("summarize", f"SELECT count(*) FROM (SELECT caller, time_bucket(INTERVAL 1 HOUR, CAST(eventTimestamp AS TIMESTAMP)) h, count(*) FROM {src} GROUP BY ALL)"),
  ("where", f"SELECT count(*) FROM {src} WHERE lower(operationName.value) = 'microsoft.authorization/roleassignments/write' AND httpRequest.clientIpAddress IS NOT NULL"),
]:
    t = time.time(); r = con.execute(sql).fetchall(); print(name, r, f"{time.time()-t:.2f} s", flush=True)
