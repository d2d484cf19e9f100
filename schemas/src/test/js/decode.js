// Decodes one Kafka record value (Confluent wire format) with Confluent's official JS Schema Registry client
// and prints it as JSON on stdout: bytes fields as base64, everything else as the Avro deserializer returns it.
//
// Usage: node decode.js REGISTRY_URL TOPIC FILE
// With SR_USER_INFO=USER:PASSWORD set, it sends them as HTTP basic credentials (basic.auth.credentials.source
// USER_INFO), as a client of a registry behind a login does.
'use strict';

const fs = require('node:fs');
const { SchemaRegistryClient, AvroDeserializer, SerdeType } = require('@confluentinc/schemaregistry');

async function main([registryUrl, topic, file]) {
  if (!registryUrl || !topic || !file) {
    throw new Error('usage: node decode.js REGISTRY_URL TOPIC FILE');
  }
  const config = { baseURLs: [registryUrl] };
  if (process.env.SR_USER_INFO) {
    config.basicAuthCredentials = { credentialsSource: 'USER_INFO', userInfo: process.env.SR_USER_INFO };
  }
  const registry = new SchemaRegistryClient(config);
  const deserializer = new AvroDeserializer(registry, SerdeType.VALUE, {});
  const record = await deserializer.deserialize(topic, fs.readFileSync(file));
  process.stdout.write(JSON.stringify(record, bytesAsBase64) + '\n');
}

// JSON.stringify has already turned a Buffer into {type, data} when the replacer sees it, so look at the holder.
function bytesAsBase64(key, value) {
  const original = this[key];
  return Buffer.isBuffer(original) ? original.toString('base64') : value;
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error);
  process.exit(1);
});
