// peapod: one program, every role. Each subcommand lives in its own file.
const [command, ...args] = process.argv.slice(2);

const commands: Record<string, () => Promise<{ run(args: string[]): Promise<void> }>> = {
  server: () => import('./server.ts'),
  agent: () => import('./agent.ts'),
  images: () => import('./images.ts'),
};

async function main(): Promise<void> {
  const load = command ? commands[command] : undefined;
  if (!load) {
    console.error(`usage: peapod <${Object.keys(commands).join('|')}> [flags]`);
    process.exit(command ? 1 : 0);
  }
  const module = await load();
  await module.run(args);
}

main().catch((err: unknown) => {
  console.error(`peapod ${command}: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
