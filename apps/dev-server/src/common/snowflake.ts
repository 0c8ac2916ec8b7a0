const SNOWFLAKE_EPOCH = 1_288_834_974_657n;
let sequence = 0n;

/** A snowflake-like decimal id (hutool `IdUtil.getSnowflakeNextIdStr`), as the server assigns business ids. */
export function snowflakeId(): string {
  return String(((BigInt(Date.now()) - SNOWFLAKE_EPOCH) << 22n) | (sequence++ & 0x3fffffn));
}
