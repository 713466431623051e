// Word lists the dataset draws from (names, labels, SMS texts). Plain data.

export const FIRST_NAMES = [
  'James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth',
  'William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Carlos', 'Karen',
  'Daniel', 'Lisa', 'Matthew', 'Nancy', 'Anthony', 'Betty', 'Mark', 'Sandra', 'Wei', 'Ashley',
  'Steven', 'Kimberly', 'Andrew', 'Emily', 'Kenji', 'Donna', 'Joshua', 'Michelle', 'Kevin', 'Carol',
  'Brian', 'Amanda', 'George', 'Melissa', 'Timothy', 'Deborah', 'Ronald', 'Stephanie', 'José', 'Zoë',
];

export const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson',
  'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores',
  "O'Brien", 'Chen', 'Kowalski', 'Müller', 'Patel', 'Kim', 'Rossi', 'Novak', 'Silva', 'Ivanova',
];

export const NUMBER_LABELS = [
  'Main Line', 'Sales', 'Support', 'Billing', 'Marketing', 'After Hours', 'Dispatch', 'Front Desk',
  'Recruiting', 'Partners', 'Returns', 'Scheduling', 'Service', 'Accounts', 'Warehouse', 'Events',
  'Press', 'VIP Line', 'Campaign A', 'Campaign B',
];

export const GROUP_NAMES = ['Sales Team', 'Support Team', 'Billing Team', 'Night Shift'];

export const CITY_CALLER_NAMES = ['WIRELESS CALLER', 'NEW YORK NY', 'CHICAGO IL', 'AUSTIN TX', 'SEATTLE WA', 'UNKNOWN', ''];

export const AREA_CODES = ['212', '312', '415', '646', '718', '305', '617', '202', '213', '512', '206', '404'];

export const CLIENT_AREA_CODES = [
  '201', '202', '206', '212', '213', '305', '310', '312', '347', '404', '415', '469', '512', '602',
  '617', '646', '702', '713', '718', '773', '786', '818', '917', '954',
];

export const SMS_INBOUND = [
  'Hi, is the store open today?', 'Can I reschedule my appointment to Friday?', 'Thanks!',
  'What is the status of my order?', 'Please call me back when you can.', 'Yes, that works for me.',
  'STOP', 'Do you have parking nearby?', 'I got your voicemail, calling back in 10 min.',
  'Can you send the invoice again?', 'Is 3pm still ok?', 'Perfect 👍', 'Who is this?',
  'Where do I send the documents?', 'Running 5 minutes late, sorry!',
];

export const SMS_OUTBOUND = [
  'Your appointment is confirmed for tomorrow at 10:00.', 'Thanks for calling VictorySync Demo!',
  'We received your request and will get back to you shortly.', 'Your order has shipped.',
  'Reminder: your invoice is due on Friday.', 'Sorry we missed your call — how can we help?',
  'Reply STOP to unsubscribe.', 'Your verification code is 482913.', 'See you soon!',
  'Our hours are Mon–Fri 9am–6pm.',
];

export const VOICEMAIL_TEXTS = [
  'Hi, this is a message about my account, please call me back.',
  'Hello, calling to confirm the appointment on Tuesday.',
  'Hey, it is me again, I have a question about the invoice.',
  '', 'Please return my call at your earliest convenience, thank you.',
];

export const CONTACT_TAGS = ['VIP', 'lead', 'customer', 'vendor', 'west-coast', 'east-coast', 'newsletter', 'do-not-call'];

export const CONTACT_COMMENTS = ['', '', 'Prefers SMS', 'Call after 5pm', 'Key account', 'Referred by partner', 'Spanish speaker'];
