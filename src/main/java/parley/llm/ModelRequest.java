package parley.llm;

/**
 * How a model is asked: its name as its provider knows it (what the upstream receives), and the
 * chat's system prompt and temperature, each null when the chat has none.
 */
record ModelRequest(String model, String systemPrompt, Double temperature) {}
