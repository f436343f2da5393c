/**
 * Capitalised words that are almost never a person, place or organisation in a prompt. A run
 * of capitals loses them at its start ("The Berlin office" -> "Berlin"), and a run that is
 * only one of them is not sent to the tagger at all (each one sent costs ~0.3 ms of tagging
 * with its neighbours). Kept small on purpose: a word missing here costs time, a wrong word
 * here costs recall. Months that are also first names ("May", "June", "April") are listed:
 * in prompts they are dates far more often.
 */
const WORDS = [
  // pronouns, determiners, greetings, sentence openers
  'I', "I'm", "I've", "I'll", "I'd", 'Im', 'Ive', 'Me', 'My', 'Mine', 'We', 'Our', 'Us', 'You', 'Your', 'He', 'His', 'Him',
  'She', 'Her', 'They', 'Their', 'Them', 'It', 'Its', 'The', 'This', 'That', 'These', 'Those', 'A', 'An', 'Some', 'Any',
  'Hi', 'Hello', 'Hey', 'Dear', 'Thanks', 'Thank', 'Regards', 'Cheers', 'Please', 'Also', 'However', 'Then', 'So',
  'But', 'And', 'Or', 'If', 'When', 'What', 'Why', 'How', 'Where', 'Who', 'Which', 'Can', 'Could', 'Would', 'Should',
  'Is', 'Are', 'Was', 'Do', 'Does', 'Did', 'Yes', 'No', 'Not', 'Note', 'Ok', 'Okay', 'OK', 'Sure', 'Here', 'There',
  'On', 'In', 'At', 'For', 'From', 'To', 'By', 'With', 'As', 'After', 'Before', 'Since', 'Until', 'During', 'Of', 'About',
  // days and months
  'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat',
  'Sun', 'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November',
  'December', 'Jan', 'Feb', 'Mar', 'Apr', 'Jun', 'Jul', 'Aug', 'Sep', 'Sept', 'Oct', 'Nov', 'Dec', 'Today', 'Tomorrow',
  'Yesterday',
  // acronyms that fill technical and business prompts (organisation acronyms are not listed)
  'AI', 'ML', 'LLM', 'NLP', 'API', 'APIs', 'SDK', 'CLI', 'UI', 'UX', 'URL', 'URI', 'HTML', 'CSS', 'JSON', 'XML', 'YAML',
  'CSV', 'PDF', 'SQL', 'HTTP', 'HTTPS', 'TCP', 'UDP', 'DNS', 'SSH', 'SSL', 'TLS', 'VPN', 'JWT', 'CPU', 'GPU', 'RAM', 'SSD',
  'OS', 'ID', 'IDs', 'FAQ', 'SLA', 'KPI', 'ETA', 'ASAP', 'FYI', 'TODO', 'CEO', 'CTO', 'CFO', 'COO', 'VP', 'HR', 'IT', 'QA',
  'PR', 'PS', 'AM', 'PM', 'UTC', 'GMT', 'USD', 'EUR', 'GBP',
];

export const NAME_STOP_WORDS: ReadonlySet<string> = new Set(WORDS);
