/** Generated names only: no real person's data is ever shipped. */
export const firstNames = [
  'Ada', 'Alan', 'Amara', 'Ana', 'Arjun', 'Beatriz', 'Ben', 'Chen', 'Chloe', 'Dario', 'Deepa', 'Elena', 'Emeka', 'Emma',
  'Farah', 'Felix', 'Grace', 'Hana', 'Hugo', 'Ines', 'Isaac', 'Jamal', 'Jana', 'Jonas', 'Kai', 'Kavya', 'Leila', 'Liam',
  'Lucia', 'Malik', 'Maya', 'Mei', 'Mateo', 'Nadia', 'Noah', 'Nora', 'Omar', 'Olga', 'Pablo', 'Priya', 'Quinn', 'Rafael',
  'Rosa', 'Sami', 'Sara', 'Sofia', 'Tariq', 'Tessa', 'Tomas', 'Uma', 'Victor', 'Wei', 'Xavier', 'Yara', 'Yusuf', 'Zara',
];
export const lastNames = [
  'Abebe', 'Alvarez', 'Andersen', 'Bauer', 'Becker', 'Chen', 'Costa', 'Dubois', 'Dias', 'Edwards', 'Fischer', 'Garcia',
  'Gupta', 'Haddad', 'Hansen', 'Ito', 'Ivanova', 'Jensen', 'Kim', 'Kowalski', 'Larsen', 'Lopez', 'Mensah', 'Moreau',
  'Nakamura', 'Nguyen', 'Novak', 'Okafor', 'Olsen', 'Park', 'Patel', 'Pereira', 'Quinn', 'Rossi', 'Santos', 'Schmidt',
  'Silva', 'Singh', 'Suzuki', 'Tanaka', 'Torres', 'Usman', 'Varga', 'Wagner', 'Wang', 'Weber', 'Xu', 'Yamamoto', 'Zhang',
];
export const memberTypes = ['Alumni', 'Student', 'Faculty/Staff', 'Parent'];
export const communityStems = [
  'Class of', 'Alumni in', 'Friends of', 'Women in', 'Founders of', 'Volunteers for', 'Mentors in', 'Careers in',
];
export const communityTopics = [
  'Engineering', 'Medicine', 'Law', 'Finance', 'Design', 'Computer Science', 'Public Policy', 'Music', 'Rowing',
  'Boston', 'London', 'Nairobi', 'São Paulo', 'Singapore', 'Berlin', 'Toronto', 'Climate', 'Entrepreneurship', 'Theatre',
];
