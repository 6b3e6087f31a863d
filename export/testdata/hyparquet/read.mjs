// Reads the Parquet file named on the command line with hyparquet and
// prints its rows as a JSON array: BigInts as decimal text, dates and
// timestamps as ISO 8601 in UTC.
import { readFileSync } from 'node:fs'
import { parquetReadObjects } from 'hyparquet'

const buf = readFileSync(process.argv[2])
const file = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)
const rows = await parquetReadObjects({ file })
process.stdout.write(JSON.stringify(rows, (_, v) => (typeof v === 'bigint' ? v.toString() : v)))
