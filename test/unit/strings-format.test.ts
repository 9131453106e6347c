// Long double formatting and arithmetic (INCRBYFLOAT) and the string object
// encodings. Expected values were produced by glibc (strtold, long double
// addition, printf("%.17Lf") with Redis's LD_STR_HUMAN trimming) on x86-64.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatLongDouble } from '../../src/protocol/format.js';
import {
  incrByFloatText,
  parseLongDouble,
  ldToHuman,
  ldFromNumber,
  LD_INF,
  INCR_BAD_VALUE,
  INCR_BAD_INCR,
  INCR_NAN_INF,
  type LongDouble,
} from '../../src/protocol/longdouble.js';
import { createStringObject } from '../../src/commands/strings.js';
import { Enc } from '../../src/db/robj.js';

const E1E300_DOUBLE =
  '1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160';
const DBL_MAX =
  '179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368';

test('formatLongDouble prints a double exactly with %.17Lf, trimmed', () => {
  const cases: [number, string][] = [
    [0.1, '0.10000000000000001'],
    [0.30000000000000004, '0.30000000000000004'],
    [1e300, E1E300_DOUBLE],
    [-2.5, '-2.5'],
    [1e-20, '0'],
    [-1e-20, '0'],
    [123.456, '123.45600000000000307'],
    [5e-324, '0'],
    [1.7976931348623157e308, DBL_MAX],
    [3, '3'],
    [-0, '0'],
    [0, '0'],
    [0.5, '0.5'],
    [1e21, '1000000000000000000000'],
    [9007199254740992, '9007199254740992'],
    [-9007199254740991, '-9007199254740991'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
    [NaN, 'nan'],
  ];
  for (const [d, s] of cases) assert.equal(formatLongDouble(d), s, `formatLongDouble(${d})`);
});

const E1E300_LD =
  '1000000000000000000008997324079559193870523944273290747938260082321265646596180935755849152083750497190350372508614274835903592556184672983913096260520748646287327135641843653294084255107606016789726652932370030551382947620994540294772781889620606179267611627097410650567187386105690089424915104006144';
const E1E400_LD =
  '10000000000000000000281880683947586514586453433629052038625910693539685534008629862039363994848324160522094053927317616200295822777259255734023828976593340661017797447434546173917862448116674971723778943824391593338047470675026246684401359237513603830343735485505244955964979021825038280091068414947402456898653040951017512658092615827588920183472511643316591362664138176309734806343732497430221946880';
const TWO_DBL_MAX_LD =
  '359538626972463139991842093548208868096772893888658356970628841530353257046248792709403737216774171128857586838851041378617416726902272110715794556052955234146997955372576789671236326588091188869859074894581254961338834769297758245552436667197907705664206565009503223382416235440319971852753604933726679072768';

test('incrByFloatText matches glibc long double arithmetic', () => {
  const cases: [string | number | null, string, string | number][] = [
    ['0.1', '0.2', '0.3'],
    [null, '0.3', '0.3'],
    ['1e300', '0', E1E300_LD],
    ['1e400', '0', E1E400_LD],
    [null, '1.2e4932', INCR_BAD_INCR],
    [null, '1e-20', '0'],
    [null, '-1e-20', '0'],
    [null, '0.000003814697265625', '0.00000381469726562'], // tie: to even
    [null, '0.000003814697265635', '0.00000381469726563'],
    [null, '-0', '0'],
    ['-0', '-0', '0'],
    ['3', '-3', '0'],
    ['1.5', '2.25', '3.75'],
    ['10.50', '0', '10.5'],
    ['9223372036854775807', '1', '9223372036854775808'],
    [9007199254740991, '2', '9007199254740993'],
    ['-9223372036854775808', '-1', '-9223372036854775809'],
    ['0x1p-16445', '0', '0'],
    [null, '1e-5000', INCR_BAD_INCR],
    [null, '3.6e-4951', '0'], // the smallest subnormal: accepted
    [null, '1.8e-4951', INCR_BAD_INCR], // rounds to zero: ERANGE
    ['inf', '1', INCR_NAN_INF],
    ['1', '-inf', INCR_NAN_INF],
    ['1', 'nan', INCR_BAD_INCR],
    ['1', 'infinity', INCR_NAN_INF],
    ['1.7976931348623157e308', '1.7976931348623157e308', TWO_DBL_MAX_LD],
    ['123456789.123456789', '0.000000001', '123456789.12345678999554366'],
    ['-12345678901234567.5', '0', '-12345678901234567.5'],
    ['1.23456789012345678901234567890', '0', '1.23456789012345679'],
    ['0x1.8p1', '.5', '3.5'],
    ['+.5e1', '5.', '10'],
    ['1e', '1', INCR_BAD_VALUE],
    [' 1', '1', INCR_BAD_VALUE],
    ['1 ', '1', INCR_BAD_VALUE],
    ['', '1', INCR_BAD_VALUE],
    ['1', '1e', INCR_BAD_INCR],
    ['1', '0x', INCR_BAD_INCR],
    ['99999999999999999999', '1', '100000000000000000000'],
    ['0.1', '-0.1', '0'],
    ['1e-17', '0', '0.00000000000000001'],
    ['5e-18', '0', '0'],
    ['5.000000000000000001e-18', '0', '0.00000000000000001'],
    ['1.5e-17', '0', '0.00000000000000002'],
    ['2.5e-17', '0', '0.00000000000000002'],
    ['1' + '0'.repeat(5119), '1', INCR_BAD_VALUE], // MAX_LONG_DOUBLE_CHARS
  ];
  for (const [a, b, want] of cases) assert.equal(incrByFloatText(a, b), want, `${String(a).slice(0, 40)} + ${b}`);
  const big = incrByFloatText(null, '1e4932');
  assert.equal(typeof big, 'string');
  assert.equal((big as string).length, 4933);
  assert.ok((big as string).startsWith('10000000000000000000060189493879638913238377742545'));
  assert.ok((big as string).endsWith('8113791886622720'));
});

test('parseLongDouble follows string2ld', () => {
  assert.equal(parseLongDouble('inf'), LD_INF);
  assert.equal(parseLongDouble('-Infinity'), LD_INF);
  assert.equal(parseLongDouble('nan'), null);
  assert.equal(parseLongDouble('nan(123)'), null);
  assert.equal(parseLongDouble('.'), null);
  assert.equal(parseLongDouble('+'), null);
  assert.equal(parseLongDouble('\t1'), null);
  const half = parseLongDouble('0.5') as LongDouble;
  assert.equal(ldToHuman(half), '0.5');
  // 0x1.fffffffffffffffffp0 has 68 significant bits: rounds up to 2.
  assert.equal(ldToHuman(parseLongDouble('0x1.fffffffffffffffffp0') as LongDouble), '2');
  assert.equal(ldToHuman(ldFromNumber(-1.25) as LongDouble), '-1.25');
});

test('createStringObject picks int, embstr or raw as tryObjectEncoding does', () => {
  const cases: [string, Enc, string | number][] = [
    ['123', Enc.Int, 123],
    ['-1', Enc.Int, -1],
    ['0', Enc.Int, 0],
    ['9007199254740991', Enc.Int, 9007199254740991],
    ['9007199254740993', Enc.Int, '9007199254740993'],
    ['9223372036854775807', Enc.Int, '9223372036854775807'],
    ['-9223372036854775808', Enc.Int, '-9223372036854775808'],
    ['9223372036854775808', Enc.Embstr, '9223372036854775808'],
    ['-0', Enc.Embstr, '-0'],
    ['01', Enc.Embstr, '01'],
    ['+1', Enc.Embstr, '+1'],
    [' 1', Enc.Embstr, ' 1'],
    ['1.5', Enc.Embstr, '1.5'],
    ['', Enc.Embstr, ''],
    ['x'.repeat(44), Enc.Embstr, 'x'.repeat(44)],
    ['x'.repeat(45), Enc.Raw, 'x'.repeat(45)],
  ];
  for (const [v, enc, stored] of cases) {
    const o = createStringObject(v);
    assert.equal(o.enc, enc, `encoding of ${JSON.stringify(v)}`);
    assert.equal(o.value, stored, `value of ${JSON.stringify(v)}`);
  }
});
