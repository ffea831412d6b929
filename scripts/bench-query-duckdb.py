"""DuckDB side of the query benchmark (issue 4): the SQL equivalent of
`AzureActivity | summarize count() by Caller, bin(TimeGenerated, 1h) | count` over the same
JSON Lines file azhunt reads. DuckDB is a benchmark-only dependency: `pip install duckdb`.

Usage: python3 scripts/bench-query-duckdb.py bench-data/activity-200000.jsonl
"""
import duckdb, time, sys
f = sys.argv[1]
con = duckdb.connect()
t = time.time()
r = con.execute(f"""
SELECT count(*) FROM (
  SELECT caller, time_bucket(INTERVAL 1 HOUR, CAST(eventTimestamp AS TIMESTAMP)) AS h, count(*)
  FROM read_json_auto('{f}', format='newline_delimited', maximum_object_size=10000000)
  GROUP BY ALL)
""").fetchall()
print(r, f"{time.time()-t:.2f} s")
