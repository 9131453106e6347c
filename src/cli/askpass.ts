export async function askPassword(_p: string): Promise<string> { return ''; }
