// Side effects of the geo commands against the reference: keyspace
// notifications, the dirty counter and what is propagated. GEOADD runs as
// ZADD (notified as zadd, propagated as the ZADD with the encoded scores),
// the stores notify georadiusstore / geosearchstore, or del when empty.

import { test, before, after } from 'node:test';
import { skipReason } from '../helpers/differential.js';
import { EffectsPair } from '../helpers/effects.js';

const skip = skipReason();
let fx: EffectsPair;
before(async () => {
  if (!skip) fx = await EffectsPair.start();
});
after(async () => {
  if (fx) await fx.close();
});

test('GEOADD: notified and propagated as the ZADD it runs', { skip }, async () => {
  await fx.reset();
  await fx.effect(['GEOADD', 'k', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania']);
  await fx.effect(['GEOADD', 'k', '13.361389', '38.115556', 'Palermo']);
  await fx.effect(['GEOADD', 'k', 'CH', '13.5', '38.115556', 'Palermo', '10', '10', 'new']);
  await fx.effect(['GEOADD', 'k', 'xx', 'ch', '13.6', '38.1', 'Palermo', '10', '10', 'absent']);
  await fx.effect(['GEOADD', 'k', 'NX', '13.7', '38.1', 'Palermo']);
  await fx.effect(['GEOADD', 'k', 'NX', '1', '1', 'Palermo', '2', '2', 'fresh']);
  await fx.effect(['GEOADD', 'k', '180', '85.05112878', 'corner', '179.99999999999997', '0', 'rounded']);
  await fx.effect(['GEOADD', 'k', '1', '200', 'bad']);
  await fx.effect(['GEOADD', 'k', 'xx', 'nx', '1', '2', 'x']);
  await fx.effect(['GEOADD', 'nokey', 'XX', '1', '2', 'x']);
  await fx.effect(['SET', 'str', 'v']);
  await fx.effect(['GEOADD', 'str', '1', '2', 'x']);
});

test('searches: read-only ones change nothing', { skip }, async () => {
  await fx.reset();
  await fx.effect(['GEOADD', 'k', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania']);
  await fx.effect(['GEOPOS', 'k', 'Palermo', 'x']);
  await fx.effect(['GEODIST', 'k', 'Palermo', 'Catania', 'km']);
  await fx.effect(['GEOHASH', 'k', 'Palermo']);
  await fx.effect(['GEORADIUS', 'k', '15', '37', '200', 'km', 'WITHDIST']);
  await fx.effect(['GEORADIUS_RO', 'k', '15', '37', '200', 'km']);
  await fx.effect(['GEORADIUSBYMEMBER', 'k', 'Palermo', '200', 'km']);
  await fx.effect(['GEORADIUSBYMEMBER_RO', 'k', 'Palermo', '200', 'km']);
  await fx.effect(['GEOSEARCH', 'k', 'FROMMEMBER', 'Palermo', 'BYBOX', '400', '400', 'km']);
});

test('stores: georadiusstore, geosearchstore, del; dirty counts the stored members', { skip }, async () => {
  await fx.reset();
  await fx.effect(['GEOADD', 'k', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania', '12.758489', '38.788135', 'edge1']);
  await fx.effect(['GEORADIUS', 'k', '15', '37', '200', 'km', 'STORE', 'dst']);
  await fx.effect(['GEORADIUS', 'k', '15', '37', '500', 'km', 'STOREDIST', 'dst']);
  await fx.effect(['GEORADIUSBYMEMBER', 'k', 'Palermo', '500', 'km', 'STORE', 'dst2', 'COUNT', '2']);
  await fx.effect(['GEOSEARCHSTORE', 'dst3', 'k', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '500', 'km', 'STOREDIST']);
  await fx.effect(['GEOSEARCHSTORE', 'dst3', 'k', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km']);
  await fx.effect(['GEOSEARCHSTORE', 'dst3', 'k', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km']);
  await fx.effect(['GEORADIUS', 'k', '0', '0', '1', 'km', 'STORE', 'dst']);
  await fx.effect(['GEOSEARCHSTORE', 'dst2', 'nokey', 'FROMMEMBER', 'x', 'BYRADIUS', '1', 'km']);
  await fx.effect(['GEORADIUSBYMEMBER', 'nokey', 'x', '1', 'km', 'STORE', 'dst4']);
  await fx.effect(['GEORADIUSBYMEMBER', 'k', 'nope', '1', 'km', 'STORE', 'dst4']);
  await fx.effect(['GEOSEARCHSTORE', 'k', 'k', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '100', 'km']);
  await fx.effect(['ZRANGE', 'k', '0', '-1', 'WITHSCORES']);
});
