// The baseline of bench:web: one Fastify route answering a constant, in its own process like Sillage's server.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', async () => ({ statut: 'ok' }));
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`écoute sur ${address}/\n`);
